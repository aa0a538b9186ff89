using System.Reflection.PortableExecutable;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Reads the x64 exception directory (.pdata): RUNTIME_FUNCTION rows of BeginAddress, EndAddress and
/// UnwindInfoAddress RVAs. Each row is a function (or function fragment) start with a known size.
/// </summary>
internal static class PeRuntimeFunctions
{
    private const int EntrySize = 12;

    public static void Read(PeImageContext context, DirectoryEntry directory)
    {
        if (directory.RelativeVirtualAddress == 0 || directory.Size == 0)
        {
            return;
        }
        var image = context.Image;
        var rva = (uint)directory.RelativeVirtualAddress;
        if (!context.TryRvaToOffset(rva, out var offset, out var limit))
        {
            image.AddError("out_of_bounds", $"exception directory at RVA 0x{rva:X} is outside the input");
            return;
        }
        var wanted = (uint)directory.Size / EntrySize;
        var count = Math.Min(wanted, (limit - offset) / EntrySize);
        if (count < wanted)
        {
            image.AddError("truncated", $"exception directory holds {count} of {wanted} RUNTIME_FUNCTION entries", offset);
        }
        var malformed = 0;
        for (long i = 0; i < count; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
            }
            var entry = offset + (i * EntrySize);
            context.View.TryU32(entry, out var begin);
            context.View.TryU32(entry + 4, out var end);
            if (begin == 0 && end == 0)
            {
                continue; // zero padding at the end of .pdata
            }
            if (end <= begin || !context.IsExecutableRva(begin))
            {
                malformed++;
                continue;
            }
            image.FunctionSeeds.Add(new FunctionSeed(context.Va(begin), null, "pdata", end - begin));
        }
        if (malformed > 0)
        {
            image.AddError("malformed", $"{malformed} RUNTIME_FUNCTION entries have an empty range or start outside code", offset);
        }
    }
}
