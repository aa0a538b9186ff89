using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Crypto;

/// <summary>Finds the constants of <see cref="CryptoSignatures"/> anywhere in the input.</summary>
internal static class CryptoConstantScanner
{
    /// <summary>Stop reporting one signature after this many hits (a file full of tables is still summarised).</summary>
    private const int MaxHitsPerSignature = 64;

    public static List<CryptoHit> Scan(ReadOnlySpan<byte> data, AddressMap map, CancellationToken cancellationToken)
    {
        var hits = new List<CryptoHit>();
        foreach (var signature in CryptoSignatures.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pattern = signature.Pattern;
            var position = 0;
            var count = 0;
            while (position < data.Length && count < MaxHitsPerSignature)
            {
                var index = data[position..].IndexOf(pattern);
                if (index < 0)
                {
                    break;
                }
                long found = position + index;
                position += index + 1;
                var start = found - signature.LeadingZeros;
                if (signature.LeadingZeros > 0 && (start < 0 || data.Slice((int)start, signature.LeadingZeros).ContainsAnyExcept((byte)0)))
                {
                    continue;
                }
                var (address, section) = map.Locate(start);
                hits.Add(new CryptoHit
                {
                    Algorithm = signature.Algorithm,
                    Constant = signature.Constant,
                    Offset = start,
                    Address = address,
                    Section = section,
                    Endian = signature.Endian,
                });
                count++;
            }
        }
        hits.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : string.CompareOrdinal(a.Algorithm, b.Algorithm));
        return hits;
    }
}
