namespace GhidraInsight.Analysis.Formats;

/// <summary>The container formats the engine understands, in the order their magic is tried.</summary>
internal static class FormatRegistry
{
    public static IReadOnlyList<IBinaryFormat> All { get; } = [new Elf.ElfFormat(), new Pe.PeFormat(), new MachO.MachOFormat()];

    public static IBinaryFormat? Detect(ReadOnlySpan<byte> data)
    {
        foreach (var format in All)
        {
            if (format.Matches(data))
            {
                return format;
            }
        }
        return null;
    }
}
