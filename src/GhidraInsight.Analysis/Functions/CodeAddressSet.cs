using GhidraInsight.Analysis.Formats;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// A set of addresses in an image's code: one bit per byte of each executable span, so asking is a shift and a mask (function
/// discovery asks whether an address starts a function for nearly every instruction it decodes). Addresses outside those spans,
/// and spans too large for a bitmap, go to a hash set.
/// </summary>
internal sealed class CodeAddressSet
{
    /// <summary>Larger executable spans (32 MiB of bitmap) are kept in the hash set instead.</summary>
    private const ulong MaxSpanBytes = 256UL << 20;

    private readonly Span[] _spans;
    private readonly HashSet<ulong> _others = [];
    private int _last;

    public CodeAddressSet(IEnumerable<MappedRegion> regions)
    {
        var merged = new List<(ulong Start, ulong End)>();
        foreach (var region in regions.Where(r => r.Executable && r.FileSize > 0).OrderBy(r => r.Address))
        {
            var end = region.Address + (ulong)region.FileSize;
            if (end < region.Address)
            {
                continue;
            }
            if (merged.Count > 0 && region.Address <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((region.Address, end));
            }
        }
        _spans = [.. merged.Where(s => s.End - s.Start <= MaxSpanBytes).Select(s => new Span(s.Start, s.End, new ulong[(s.End - s.Start + 63) / 64]))];
    }

    /// <summary>Adds <paramref name="address"/>; false when it was there already.</summary>
    public bool Add(ulong address)
    {
        if (SpanOf(address) is not { } span)
        {
            return _others.Add(address);
        }
        var offset = address - span.Start;
        ref var word = ref span.Bits[offset >> 6];
        var mask = 1UL << (int)(offset & 63);
        if ((word & mask) != 0)
        {
            return false;
        }
        word |= mask;
        return true;
    }

    /// <summary>Adds every address of [<paramref name="address"/>, <paramref name="address"/> + <paramref name="length"/>).</summary>
    public void AddRange(ulong address, int length)
    {
        if (SpanOf(address) is { } span && address + (ulong)length <= span.End)
        {
            for (var offset = address - span.Start; offset < address - span.Start + (ulong)length; offset++)
            {
                span.Bits[offset >> 6] |= 1UL << (int)(offset & 63);
            }
            return;
        }
        for (var i = 0; i < length; i++)
        {
            Add(address + (ulong)i);
        }
    }

    /// <summary>
    /// The first address at or after <paramref name="from"/> and before <paramref name="end"/> that is not in the set
    /// (<paramref name="end"/> when there is none), a word of the bitmap at a time.
    /// </summary>
    public ulong NextAbsent(ulong from, ulong end) => Next(from, end, present: false);

    /// <summary>Like <see cref="NextAbsent"/>, for the first address that is in the set.</summary>
    public ulong NextPresent(ulong from, ulong end) => Next(from, end, present: true);

    private ulong Next(ulong from, ulong end, bool present)
    {
        var at = from;
        while (at < end)
        {
            if (SpanOf(at) is not { } span)
            {
                if (_others.Contains(at) == present)
                {
                    return at;
                }
                at++;
                continue;
            }
            var offset = at - span.Start;
            var bits = span.Bits[offset >> 6];
            var word = (present ? bits : ~bits) >> (int)(offset & 63);
            var wordEnd = Math.Min(at + (64 - (offset & 63)), span.End);
            if (word != 0 && at + (ulong)System.Numerics.BitOperations.TrailingZeroCount(word) is var found && found < wordEnd)
            {
                return Math.Min(found, end);
            }
            // Not in this word, nor past the span's end (addresses there are answered by the hash set).
            at = wordEnd;
        }
        return end;
    }

    public bool Contains(ulong address)
    {
        if (SpanOf(address) is not { } span)
        {
            return _others.Contains(address);
        }
        var offset = address - span.Start;
        return (span.Bits[offset >> 6] & (1UL << (int)(offset & 63))) != 0;
    }

    private Span? SpanOf(ulong address)
    {
        // Lookups come in runs within one span: try the last one first.
        if (_last < _spans.Length && _spans[_last].Holds(address))
        {
            return _spans[_last];
        }
        for (var i = 0; i < _spans.Length; i++)
        {
            if (_spans[i].Holds(address))
            {
                _last = i;
                return _spans[i];
            }
        }
        return null;
    }

    private sealed record Span(ulong Start, ulong End, ulong[] Bits)
    {
        public bool Holds(ulong address) => address >= Start && address < End;
    }
}
