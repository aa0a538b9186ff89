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

    public CodeDecoder(ReadOnlyMemory<byte> data, int bitness, AddressMap map)
    {
        _data = data;
        _bitness = bitness;
        _map = map;
    }

    public bool IsCode(ulong address) => _map.RegionAt(address) is { Executable: true };

    /// <summary>Decodes one instruction at <paramref name="address"/>; false when it is not in code or is invalid.</summary>
    public bool TryDecode(ulong address, out Instruction instruction)
    {
        instruction = default;
        if (_map.RegionAt(address) is not { Executable: true } region)
        {
            return false;
        }
        if (!_decoders.TryGetValue(region.Offset, out var entry))
        {
            var end = Math.Min(region.Offset + region.FileSize, _data.Length);
            if (region.Offset < 0 || region.Offset >= end)
            {
                return false;
            }
            var reader = new MemoryCodeReader(_data[(int)region.Offset..(int)end]);
            entry = (Decoder.Create(_bitness, reader, region.Address, DecoderOptions.None), reader);
            _decoders[region.Offset] = entry;
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
}
