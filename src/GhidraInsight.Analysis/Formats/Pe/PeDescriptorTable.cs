using System.Reflection.PortableExecutable;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Walks a table of fixed-size descriptors (import, delay-import) row by row, bounds-checked: yields each row's file
/// offset, stops with an error when a row leaves the input or the table runs past <see cref="MaxRows"/> rows.
/// The caller stops at the table's all-zero terminator.
/// </summary>
internal static class PeDescriptorTable
{
    /// <summary>Most DLLs read from one directory; more means a corrupt or unterminated table.</summary>
    public const int MaxRows = 4096;

    public static IEnumerable<(int Index, long Offset)> Rows(PeImageContext context, DirectoryEntry directory, int rowSize, string what)
    {
        if (directory.RelativeVirtualAddress == 0 || directory.Size == 0)
        {
            yield break;
        }
        for (var i = 0; ; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (i == MaxRows)
            {
                context.Image.AddError("limit", $"{what} directory has more than {MaxRows} descriptors; rest ignored");
                yield break;
            }
            var rva = (ulong)(uint)directory.RelativeVirtualAddress + ((ulong)i * (ulong)rowSize);
            if (rva > uint.MaxValue || !context.TryRvaRange((uint)rva, rowSize, out var offset))
            {
                context.Image.AddError(i == 0 ? "out_of_bounds" : "truncated", $"{what} descriptor {i} at RVA 0x{rva:X} is outside the input");
                yield break;
            }
            yield return (i, offset);
        }
    }
}
