namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Reads a CIE far enough to learn how its FDEs encode initial_location (the 'R' augmentation).</summary>
internal static class EhCieParser
{
    private const int MaxAugmentation = 32;

    /// <summary>The FDE pointer encoding, DW_EH_PE_absptr when the CIE has no 'R'; null when the bytes are not a CIE.</summary>
    public static byte? FdeEncoding(ByteView view, EhPointerDecoder decoder, long pos, long limit, int wordSize)
    {
        if (!view.TryU32(pos, out var len32))
        {
            return null;
        }
        long at = pos + 4;
        ulong len = len32;
        var idSize = 4;
        if (len32 == 0xffff_ffff)
        {
            if (!view.TryU64(pos + 4, out len))
            {
                return null;
            }
            at = pos + 12;
            idSize = 8;
        }
        if (len < (ulong)idSize + 1 || len > (ulong)(limit - at))
        {
            return null;
        }
        var end = at + (long)len;
        var idOk = idSize == 8 ? view.TryU64(at, out var id) : TryU32AsU64(view, at, out id);
        if (!idOk || id != 0)
        {
            return null;
        }
        at += idSize;
        view.TryU8(at++, out var version);
        var augmentation = view.CString(at, end, MaxAugmentation);
        if (augmentation is null)
        {
            return null;
        }
        at += augmentation.Length + 1;
        if (augmentation.Contains("eh", StringComparison.Ordinal))
        {
            at += wordSize; // GCC 2.x "eh" data: one target-sized word
        }
        var ok = decoder.TryUleb(ref at, out _) && decoder.TrySleb(ref at, out _);
        if (version == 1)
        {
            at++;
        }
        else
        {
            ok = ok && decoder.TryUleb(ref at, out _);
        }
        if (!ok || at > end)
        {
            return null;
        }
        return augmentation.StartsWith('z') ? FromAugmentationData(view, decoder, augmentation, at, end) : (byte)0;
    }

    private static byte? FromAugmentationData(ByteView view, EhPointerDecoder decoder, string augmentation, long at, long end)
    {
        if (!decoder.TryUleb(ref at, out var dataLength) || dataLength > (ulong)(end - at))
        {
            return null;
        }
        byte encoding = 0;
        foreach (var c in augmentation.AsSpan(1))
        {
            switch (c)
            {
                case 'R':
                    if (!view.TryU8(at++, out encoding))
                    {
                        return null;
                    }
                    return encoding;
                case 'L':
                    at++;
                    break;
                case 'P':
                    if (!view.TryU8(at++, out var personality)
                        || !decoder.TryRead(ref at, (byte)(personality & 0x0f), 0, 0, applyBase: false, out _))
                    {
                        return null;
                    }
                    break;
                case 'S' or 'B' or 'G':
                    break;
                default:
                    return encoding; // unknown letters: the rest of the data cannot be interpreted
            }
        }
        return encoding;
    }

    private static bool TryU32AsU64(ByteView view, long at, out ulong value)
    {
        var ok = view.TryU32(at, out var v);
        value = v;
        return ok;
    }
}
