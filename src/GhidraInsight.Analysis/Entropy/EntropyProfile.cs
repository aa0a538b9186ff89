namespace GhidraInsight.Analysis.Entropy;

/// <summary>
/// The file's entropy over offset, as <c>binwalk -E</c> plots it: the file cut into consecutive blocks of one size (the last
/// may be shorter), each block's Shannon entropy computed as <see cref="ShannonEntropy"/> does. The block histograms add up
/// to the whole file's, so one pass over the bytes yields the overall entropy too.
/// </summary>
internal static class EntropyProfile
{
    /// <summary>The smallest block: below this a block's entropy says little (at most log2(size) bits/byte).</summary>
    public const int MinBlockSize = 256;

    /// <summary>Blocks at most: enough points for a chart, few enough that the JSON stays small.</summary>
    public const int MaxBlocks = 512;

    /// <summary>Decimals a block's entropy is rounded to: a chart needs no more, and 512 values stay a few kilobytes.</summary>
    public const int Decimals = 3;

    /// <summary>The smallest power of two, at least <see cref="MinBlockSize"/>, that cuts <paramref name="length"/> bytes into at most <see cref="MaxBlocks"/> blocks.</summary>
    public static int BlockSize(long length)
    {
        long size = MinBlockSize;
        while ((length + size - 1) / size > MaxBlocks)
        {
            size *= 2;
        }
        return checked((int)size);
    }

    /// <summary>
    /// The whole file's entropy (exactly <see cref="ShannonEntropy.Compute"/>'s), the block size and every block's entropy
    /// rounded to <see cref="Decimals"/> decimals; an empty input has no blocks.
    /// </summary>
    public static (double Overall, int BlockSize, double[] Profile) Compute(ReadOnlySpan<byte> data)
    {
        var blockSize = BlockSize(data.Length);
        var profile = new double[(data.Length + blockSize - 1) / blockSize];
        Span<long> total = stackalloc long[256];
        Span<long> block = stackalloc long[256];
        for (var i = 0; i < profile.Length; i++)
        {
            var bytes = data.Slice(i * blockSize, Math.Min(blockSize, data.Length - (i * blockSize)));
            block.Clear();
            ShannonEntropy.Count(bytes, block);
            profile[i] = Math.Round(ShannonEntropy.FromCounts(block, bytes.Length), Decimals);
            for (var b = 0; b < 256; b++)
            {
                total[b] += block[b];
            }
        }
        return (ShannonEntropy.FromCounts(total, data.Length), blockSize, profile);
    }
}
