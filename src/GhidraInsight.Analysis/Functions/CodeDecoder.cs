using GhidraInsight.Analysis.Formats;
using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>Decodes x86 instructions at virtual addresses, one Iced decoder per executable region.</summary>
internal sealed class CodeDecoder
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _bitness;
    private readonly AddressMap _map;
    private readonly Dictionary<long, (Decoder Decoder, MemoryCodeReader Reader)> _decoders = [];
    private (MappedRegion Region, (Decoder Decoder, MemoryCodeReader Reader) Entry)? _current;

    public CodeDecoder(ReadOnlyMemory<byte> data, int bitness, AddressMap map)
    {
        _data = data;
        _bitness = bitness;
        _map = map;
    }

    /// <summary>32 or 64.</summary>
    public int Bitness => _bitness;

    /// <summary>A little-endian value of <paramref name="size"/> (1, 4 or 8) bytes the file holds at <paramref name="address"/>; null when it holds none there.</summary>
    public ulong? ReadData(ulong address, int size)
    {
        if (_map.OffsetOf(address) is not { } offset)
        {
            return null;
        }
        var view = new ByteView(_data, bigEndian: false);
        if (size == 1)
        {
            return view.TryU8(offset, out var single) ? single : null;
        }
        return view.TryWord(offset, size == 8, out var value) ? value : null;
    }

    public bool IsCode(ulong address)
    {
        // Asked for runs of nearby addresses (call targets, candidates): the last code region answers most of them.
        if (_lastCode is { } last && last.ContainsAddress(address))
        {
            return true;
        }
        if (_map.RegionAt(address) is { Executable: true } region)
        {
            _lastCode = region;
            return true;
        }
        return false;
    }

    private MappedRegion? _lastCode;

    /// <summary>One past the last address of the code region holding <paramref name="address"/> (the address itself when it is not code).</summary>
    public ulong CodeEnd(ulong address) =>
        _map.RegionAt(address) is { Executable: true } region ? region.Address + (ulong)region.FileSize : address;

    /// <summary>Decodes one instruction at <paramref name="address"/>; false when it is not in code or is invalid.</summary>
    public bool TryDecode(ulong address, out Instruction instruction)
    {
        instruction = default;
        // Consecutive instructions almost always share a region: skip the lookup then.
        MappedRegion region;
        (Decoder Decoder, MemoryCodeReader Reader) entry;
        if (_current is { } current && current.Region.ContainsAddress(address))
        {
            region = current.Region;
            entry = current.Entry;
        }
        else if (_map.RegionAt(address) is { Executable: true } found && TryGetDecoder(found, out entry))
        {
            region = found;
            _current = (region, entry);
        }
        else
        {
            return false;
        }
        var position = (long)(address - region.Address);
        if (position >= entry.Reader.Length)
        {
            return false;
        }
        entry.Reader.Position = (int)position;
        entry.Decoder.IP = address;
        entry.Decoder.Decode(out instruction);
        return !instruction.IsInvalid && entry.Decoder.LastError == DecoderError.None;
    }

    private bool TryGetDecoder(MappedRegion region, out (Decoder Decoder, MemoryCodeReader Reader) entry)
    {
        if (!_decoders.TryGetValue(region.Offset, out entry))
        {
            var end = Math.Min(region.Offset + region.FileSize, _data.Length);
            if (region.Offset < 0 || region.Offset >= end)
            {
                entry = default;
                return false;
            }
            var reader = new MemoryCodeReader(_data[(int)region.Offset..(int)end]);
            entry = (Decoder.Create(_bitness, reader, region.Address, DecoderOptions.None), reader);
            _decoders[region.Offset] = entry;
        }
        return true;
    }
}
