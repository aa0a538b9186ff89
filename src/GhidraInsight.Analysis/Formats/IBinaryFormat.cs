namespace GhidraInsight.Analysis.Formats;

/// <summary>A parser of one container format.</summary>
internal interface IBinaryFormat
{
    /// <summary>Whether the leading bytes carry this format's magic.</summary>
    bool Matches(ReadOnlySpan<byte> data);

    /// <summary>
    /// Parses what it can. Never throws for malformed input: problems go to <see cref="BinaryImage.Errors"/>.
    /// Returns one image, or one per slice of a universal Mach-O file.
    /// </summary>
    IReadOnlyList<BinaryImage> Parse(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
