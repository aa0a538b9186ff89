namespace GhidraInsight.Storage;

/// <summary>A write refused because a binary exceeds the configured limit.</summary>
public sealed class BinaryTooLargeException(long size, long limit) : Exception($"binary is {size} bytes; the storage limit is {limit} bytes")
{
    public long Size { get; } = size;
    public long Limit { get; } = limit;
}
