namespace GhidraInsight.Analysis;

/// <summary>The input is larger than <see cref="AnalysisOptions.MaxInputSize"/>; nothing was analysed.</summary>
public sealed class InputTooLargeException(long size, long limit)
    : Exception($"input is {size} bytes; the limit is {limit} bytes")
{
    public long Size { get; } = size;
    public long Limit { get; } = limit;
}
