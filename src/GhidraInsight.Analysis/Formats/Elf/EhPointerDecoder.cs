namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Decodes DW_EH_PE-encoded values and LEB128 numbers inside one bounded range of the file.</summary>
internal readonly struct EhPointerDecoder(ByteView view, long limit, bool is64)
{
    public const byte Omit = 0xff;

    /// <summary>
    /// Reads an encoded pointer at <paramref name="at"/>. <paramref name="fieldAddress"/> is the field's virtual address
    /// (for pcrel); <paramref name="dataBase"/> is the base for datarel. Returns false when out of range or unsupported.
    /// </summary>
    public bool TryRead(ref long at, byte encoding, ulong fieldAddress, ulong dataBase, bool applyBase, out ulong value)
    {
        value = 0;
        if (encoding == Omit)
        {
            return true;
        }
        if (!TryReadRaw(ref at, encoding & 0x0f, out value))
        {
            return false;
        }
        if (!applyBase)
        {
            return true;
        }
        switch (encoding & 0x70)
        {
            case 0x00:
                break;
            case 0x10:
                value = unchecked(value + fieldAddress);
                break;
            case 0x30:
                value = unchecked(value + dataBase);
                break;
            default:
                return false; // textrel/funcrel/aligned are not used for FDE starts in practice
        }
        if (!is64 && (encoding & 0x0f) is not (0x04 or 0x0c))
        {
            value &= 0xffff_ffff;
        }
        return true;
    }

    public bool TryUleb(ref long at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= limit || !view.TryU8(at++, out var b))
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

    public bool TrySleb(ref long at, out long value)
    {
        value = 0;
        var shift = 0;
        byte b;
        do
        {
            if (shift >= 64 || at >= limit || !view.TryU8(at++, out b))
            {
                return false;
            }
            value |= (long)(b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0)
        {
            value |= -1L << shift;
        }
        return true;
    }

    private bool TryReadRaw(ref long at, int format, out ulong value)
    {
        value = 0;
        var size = format switch
        {
            0x00 => is64 ? 8 : 4,
            0x02 or 0x0a => 2,
            0x03 or 0x0b => 4,
            0x04 or 0x0c => 8,
            _ => 0,
        };
        if (format == 0x01)
        {
            return TryUleb(ref at, out value);
        }
        if (format == 0x09)
        {
            var ok = TrySleb(ref at, out var signed);
            value = (ulong)signed;
            return ok;
        }
        if (size == 0 || at + size > limit)
        {
            return false;
        }
        var read = size switch
        {
            2 => view.TryU16(at, out var v16) && Set(format == 0x0a ? (ulong)(long)(short)v16 : v16, out value),
            4 => view.TryU32(at, out var v32) && Set(format == 0x0b ? (ulong)(long)(int)v32 : v32, out value),
            _ => view.TryU64(at, out var v64) && Set(v64, out value),
        };
        at += size;
        return read;
    }

    private static bool Set(ulong v, out ulong value)
    {
        value = v;
        return true;
    }
}
