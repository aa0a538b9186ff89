namespace GhidraInsight.Analysis.Model;

/// <summary>Whole-file entropy, its profile over offset and the packed/encrypted verdict.</summary>
public sealed record EntropyInfo
{
    public double Overall { get; init; }
    public bool Packed { get; init; }
    /// <summary>Why the verdict was reached, in words.</summary>
    public string? Reason { get; init; }
    /// <summary>
    /// Bytes per block of <see cref="Profile"/>: the smallest power of two, at least 256, that cuts the file into at most 512
    /// blocks. Null for a slice of a universal file (the top level profiles the whole file) and in results of engines before 1.4.0.
    /// </summary>
    public int? BlockSize { get; init; }
    /// <summary>
    /// Shannon entropy (bits per byte, rounded to 3 decimals) of each consecutive <see cref="BlockSize"/>-byte block from
    /// offset 0, the last block over the bytes it has: the file's entropy over offset, as <c>binwalk -E</c> plots it.
    /// Empty for an empty file; null where <see cref="BlockSize"/> is.
    /// </summary>
    public IReadOnlyList<double>? Profile { get; init; }
}
