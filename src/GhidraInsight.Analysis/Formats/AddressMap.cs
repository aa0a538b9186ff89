namespace GhidraInsight.Analysis.Formats;

/// <summary>Translates file offsets to virtual addresses and section names, and back, over an image's mapped regions.</summary>
internal sealed class AddressMap
{
    private readonly MappedRegion[] _byOffset;
    private readonly MappedRegion[] _byAddress;

    public AddressMap(IEnumerable<MappedRegion> regions)
    {
        var usable = regions.Where(r => r.FileSize > 0).ToArray();
        _byOffset = [.. usable.OrderBy(r => r.Offset).ThenBy(r => r.FileSize)];
        _byAddress = [.. usable.OrderBy(r => r.Address).ThenBy(r => r.FileSize)];
    }

    public static AddressMap Empty { get; } = new([]);

    public IReadOnlyList<MappedRegion> Regions => _byOffset;

    /// <summary>The address and section of a file offset, or (null, null) when no region maps it.</summary>
    public (ulong? Address, string? Section) Locate(long offset)
    {
        var region = Find(_byOffset, r => r.Offset.CompareTo(offset), r => r.ContainsOffset(offset));
        return region is { } r ? (r.Address + (ulong)(offset - r.Offset), r.Name) : (null, null);
    }

    /// <summary>The region holding a virtual address, if any.</summary>
    public MappedRegion? RegionAt(ulong address) =>
        Find(_byAddress, r => r.Address.CompareTo(address), r => r.ContainsAddress(address));

    /// <summary>The file offset of a virtual address, or null when it is not backed by file bytes.</summary>
    public long? OffsetOf(ulong address) => RegionAt(address) is { } r ? r.Offset + (long)(address - r.Address) : null;

    private static MappedRegion? Find(MappedRegion[] sorted, Func<MappedRegion, int> compareStart, Func<MappedRegion, bool> contains)
    {
        // Last region whose start is <= the key, then a short walk back for overlapping regions.
        int lo = 0, hi = sorted.Length - 1, last = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (compareStart(sorted[mid]) <= 0)
            {
                last = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        for (var i = last; i >= 0 && i > last - 16; i--)
        {
            if (contains(sorted[i]))
            {
                return sorted[i];
            }
        }
        return null;
    }
}
