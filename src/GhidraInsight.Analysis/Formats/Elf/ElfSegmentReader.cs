using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Reads the program header table; maps PT_LOAD segments as regions when there are no sections.</summary>
internal static class ElfSegmentReader
{
    private const ushort ExtendedCount = 0xffff;

    public static void Read(ElfContext ctx)
    {
        var h = ctx.Header;
        if (h.ProgramHeaderOffset == 0 || h.ProgramHeaderCount == 0)
        {
            return;
        }
        var entrySize = h.Is64 ? 56 : 32;
        if (h.ProgramHeaderEntrySize < entrySize)
        {
            ctx.Image.AddError("bad_value", $"e_phentsize {h.ProgramHeaderEntrySize} is smaller than {entrySize}", null);
            return;
        }
        if (h.ProgramHeaderOffset >= (ulong)ctx.View.Length)
        {
            ctx.Image.AddError("out_of_bounds", $"program header table at 0x{h.ProgramHeaderOffset:x} is past the end of the file", null);
            return;
        }
        var tableStart = (long)h.ProgramHeaderOffset;
        ulong count = h.ProgramHeaderCount;
        if (count == ExtendedCount && ctx.Sections.Count > 0)
        {
            count = ctx.Sections[0].Info;
        }
        var available = (ulong)((ctx.View.Length - tableStart) / h.ProgramHeaderEntrySize);
        if (count > available)
        {
            ctx.Image.AddError("truncated", $"program header table claims {count} entries but the file holds {available}", tableStart);
            count = available;
        }
        for (var i = 0; i < (int)Math.Min(count, ElfContext.MaxEntries); i++)
        {
            ctx.ThrowIfCancelled(i);
            var seg = ReadOne(ctx.View, tableStart + ((long)i * h.ProgramHeaderEntrySize), h.Is64);
            ctx.Segments.Add(seg);
            ctx.Image.Segments.Add(new SegmentInfo
            {
                Type = ElfNames.SegmentType(seg.Type, h.Machine),
                Offset = (long)Math.Min(seg.Offset, long.MaxValue),
                Address = seg.Address,
                FileSize = (long)Math.Min(seg.FileSize, long.MaxValue),
                MemorySize = (long)Math.Min(seg.MemorySize, long.MaxValue),
                Permissions = ElfNames.Permissions(
                    (seg.Flags & ElfSegment.FlagRead) != 0,
                    (seg.Flags & ElfSegment.FlagWrite) != 0,
                    (seg.Flags & ElfSegment.FlagExecute) != 0),
            });
        }
        SetImageBase(ctx);
    }

    /// <summary>Without section headers, the loadable segments are the only map from addresses to bytes.</summary>
    public static void AddLoadRegions(ElfContext ctx)
    {
        if (ctx.Image.Regions.Count > 0 || ctx.Sections.Count > 0)
        {
            return;
        }
        var n = 0;
        foreach (var seg in ctx.Segments)
        {
            if (seg.Type != ElfSegment.Load)
            {
                continue;
            }
            var name = $"LOAD{n++}";
            if (seg.FileSize > 0 && ctx.TryFileRange(seg.Offset, seg.FileSize, $"segment {name}", out var start, out var length) && length > 0)
            {
                ctx.Image.Regions.Add(new MappedRegion(name, seg.Address, start, length, (seg.Flags & ElfSegment.FlagExecute) != 0));
            }
        }
    }

    private static ElfSegment ReadOne(ByteView v, long at, bool is64)
    {
        v.TryU32(at, out var type);
        if (is64)
        {
            v.TryU32(at + 4, out var flags);
            v.TryU64(at + 8, out var offset);
            v.TryU64(at + 16, out var vaddr);
            v.TryU64(at + 32, out var filesz);
            v.TryU64(at + 40, out var memsz);
            return new ElfSegment(type, flags, offset, vaddr, filesz, memsz);
        }
        v.TryU32(at + 4, out var offset32);
        v.TryU32(at + 8, out var vaddr32);
        v.TryU32(at + 16, out var filesz32);
        v.TryU32(at + 20, out var memsz32);
        v.TryU32(at + 24, out var flags32);
        return new ElfSegment(type, flags32, offset32, vaddr32, filesz32, memsz32);
    }

    private static void SetImageBase(ElfContext ctx)
    {
        ulong? lowest = null;
        foreach (var seg in ctx.Segments)
        {
            if (seg.Type == ElfSegment.Load && (lowest is null || seg.Address < lowest))
            {
                lowest = seg.Address;
            }
        }
        ctx.Image.ImageBase = lowest;
    }
}
