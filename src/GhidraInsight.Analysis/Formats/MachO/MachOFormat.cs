namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Mach-O parser: thin 32/64-bit images in either byte order, and universal (fat) files of them.</summary>
internal sealed class MachOFormat : IBinaryFormat
{
    public bool Matches(ReadOnlySpan<byte> data) =>
        MachOHeader.TryReadMagic(data, out _, out _) || UniversalFileParser.IsUniversal(data);

    public IReadOnlyList<BinaryImage> Parse(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (UniversalFileParser.IsUniversal(data.Span))
        {
            return UniversalFileParser.Parse(data, cancellationToken);
        }
        return [ThinImageParser.Parse(data, 0, cancellationToken)];
    }
}
