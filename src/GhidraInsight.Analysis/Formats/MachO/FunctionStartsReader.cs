namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>LC_FUNCTION_STARTS: ULEB128 address deltas from the start of <c>__TEXT</c>, ended by a zero delta.</summary>
internal static class FunctionStartsReader
{
    public static void Read(MachOParseState state, LoadCommand command)
    {
        if (!command.Body.TryU32(8, out var dataOffset) || !command.Body.TryU32(12, out var dataSize))
        {
            state.Error("truncated", $"LC_FUNCTION_STARTS of {command.Size} bytes is shorter than 16", command.Offset);
            return;
        }
        if (!state.View.TrySlice(dataOffset, dataSize, out var data))
        {
            state.Error("out_of_bounds", $"function starts 0x{dataOffset:x}+0x{dataSize:x} are outside the image", command.Offset);
            return;
        }
        var address = state.TextAddress ?? 0;
        var position = 0;
        while (position < data.Length)
        {
            if ((position & 0xfff) == 0)
            {
                state.CancellationToken.ThrowIfCancellationRequested();
            }
            if (!TryReadUleb128(data, ref position, out var delta))
            {
                state.Error("bad_value", "malformed ULEB128 in function starts", dataOffset + position);
                return;
            }
            if (delta == 0)
            {
                return;
            }
            address += delta;
            state.Image.FunctionSeeds.Add(new FunctionSeed(address, null, "function_starts"));
        }
    }

    /// <summary>Decodes one ULEB128 value; false when it is cut short or longer than 64 bits.</summary>
    public static bool TryReadUleb128(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; position < data.Length; shift += 7)
        {
            var b = data[position++];
            if (shift > 63 || (shift == 63 && (b & 0x7e) != 0))
            {
                return false;
            }
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }
        return false;
    }
}
