namespace GhidraInsight.Analysis.Entropy;

/// <summary>
/// Shannon entropy in bits per byte, computed the way yara's <c>math.entropy</c> does:
/// −Σ p·log2(p) over the byte histogram, 0 for empty input.
/// </summary>
public static class ShannonEntropy
{
    public static double Compute(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return 0;
        }
        Span<long> counts = stackalloc long[256];
        Count(data, counts);
        return FromCounts(counts, data.Length);
    }

    internal static void Count(ReadOnlySpan<byte> data, Span<long> counts)
    {
        // Four interleaved histograms break the store-to-load dependency on repeated bytes.
        Span<int> c0 = stackalloc int[256];
        Span<int> c1 = stackalloc int[256];
        Span<int> c2 = stackalloc int[256];
        Span<int> c3 = stackalloc int[256];
        var i = 0;
        while (i <= data.Length - 4)
        {
            var chunkEnd = Math.Min(data.Length - 3, i + (1 << 28));
            for (; i < chunkEnd; i += 4)
            {
                c0[data[i]]++;
                c1[data[i + 1]]++;
                c2[data[i + 2]]++;
                c3[data[i + 3]]++;
            }
        }
        for (; i < data.Length; i++)
        {
            c0[data[i]]++;
        }
        for (var b = 0; b < 256; b++)
        {
            counts[b] += (long)c0[b] + c1[b] + c2[b] + c3[b];
        }
    }

    internal static double FromCounts(ReadOnlySpan<long> counts, long total)
    {
        if (total <= 0)
        {
            return 0;
        }
        double entropy = 0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / total;
                entropy -= p * Math.Log2(p);
            }
        }
        return entropy;
    }
}
