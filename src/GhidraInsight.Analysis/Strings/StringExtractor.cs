using System.Text;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Strings;

/// <summary>
/// Printable strings as GNU <c>strings -a</c> finds them: runs of at least <see cref="MinLength"/> characters
/// from 0x20–0x7E or TAB, in single bytes (<c>ascii</c>) and in little-endian 16-bit units whose high byte is 0
/// (<c>utf-16le</c>, like <c>strings -e l</c>).
/// </summary>
internal static class StringExtractor
{
    public const int MinLength = 4;

    /// <summary>Longest value kept; longer runs are cut (the offset still marks the run's start).</summary>
    internal const int MaxValueLength = 4096;

    public static List<StringInfo> Extract(ReadOnlySpan<byte> data, AddressMap map, int maxStrings, List<AnalysisError> errors, CancellationToken cancellationToken)
    {
        var found = new List<StringInfo>();
        var truncated = ExtractAscii(data, map, found, maxStrings, cancellationToken) || ExtractUtf16(data, map, found, maxStrings, cancellationToken);
        if (truncated)
        {
            errors.Add(new AnalysisError { Code = "limit", Message = $"more than {maxStrings} strings; the rest are not listed" });
        }
        found.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return found;
    }

    private static bool IsPrintable(byte b) => b is >= 0x20 and <= 0x7E or (byte)'\t';

    private static bool ExtractAscii(ReadOnlySpan<byte> data, AddressMap map, List<StringInfo> found, int max, CancellationToken cancellationToken)
    {
        var i = 0;
        while (i < data.Length)
        {
            if ((i & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (!IsPrintable(data[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < data.Length && IsPrintable(data[i]))
            {
                i++;
            }
            if (i - start >= MinLength)
            {
                if (found.Count >= max)
                {
                    return true;
                }
                var value = Encoding.ASCII.GetString(data.Slice(start, Math.Min(i - start, MaxValueLength)));
                found.Add(Create(value, start, "ascii", map));
            }
        }
        return false;
    }

    private static bool ExtractUtf16(ReadOnlySpan<byte> data, AddressMap map, List<StringInfo> found, int max, CancellationToken cancellationToken)
    {
        var i = 0;
        var builder = new StringBuilder();
        while (i + 1 < data.Length)
        {
            if ((i & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (!(IsPrintable(data[i]) && data[i + 1] == 0))
            {
                i++;
                continue;
            }
            var start = i;
            builder.Clear();
            while (i + 1 < data.Length && IsPrintable(data[i]) && data[i + 1] == 0)
            {
                if (builder.Length < MaxValueLength)
                {
                    builder.Append((char)data[i]);
                }
                i += 2;
            }
            if ((i - start) / 2 >= MinLength)
            {
                if (found.Count >= max)
                {
                    return true;
                }
                found.Add(Create(builder.ToString(), start, "utf-16le", map));
            }
            else
            {
                // Like strings(1), resume one byte after the start of a run too short to report.
                i = start + 1;
            }
        }
        return false;
    }

    private static StringInfo Create(string value, long offset, string encoding, AddressMap map)
    {
        var (address, section) = map.Locate(offset);
        return new StringInfo { Value = value, Offset = offset, Address = address, Encoding = encoding, Section = section };
    }
}
