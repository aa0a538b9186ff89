namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>
/// Walks the CIE/FDE records of .eh_frame and adds one function seed per FDE (start = initial_location, size = address_range).
/// Every length is checked against the section; a zero length ends the walk.
/// </summary>
internal sealed class EhFrameReader(ElfContext ctx, long start, long length, ulong sectionAddress)
{
    private readonly Dictionary<long, byte?> _fdeEncodings = [];
    private readonly ulong _dataBase = ctx.FindSection(".got")?.Address ?? 0;
    private readonly EhPointerDecoder _decoder = new(ctx.View, start + length, ctx.Header.Is64);
    private int _badRecords;

    public static void Read(ElfContext ctx)
    {
        if (ctx.Header.Type == ElfHeader.TypeRelocatable)
        {
            return; // FDE addresses in objects are unrelocated
        }
        if (ctx.FindSection(".eh_frame") is { } s)
        {
            if (s.HasFileBytes && ctx.TryFileRange(s.Offset, s.Size, ".eh_frame", out var start, out var length))
            {
                new EhFrameReader(ctx, start, length, s.Address).Walk();
            }
            return;
        }
        if (ctx.Sections.Count == 0 && EhFrameHeader.Locate(ctx) is { } found)
        {
            new EhFrameReader(ctx, found.Start, found.Length, found.Address).Walk();
        }
    }

    private void Walk()
    {
        var end = start + length;
        var pos = start;
        for (long n = 0; pos + 4 <= end; n++)
        {
            ctx.ThrowIfCancelled(n);
            if (!TryRecordBounds(pos, end, out var idAt, out var recordEnd, out var idSize))
            {
                break;
            }
            if (recordEnd == idAt)
            {
                break; // zero terminator
            }
            ReadIdWord(idAt, idSize, out var id);
            if (id != 0)
            {
                ReadFde(idAt, idSize, recordEnd, (long)(idAt - (long)id));
            }
            pos = recordEnd;
        }
        if (_badRecords > 0)
        {
            ctx.Image.AddError("bad_value", $"{_badRecords} .eh_frame records could not be decoded", start);
        }
    }

    /// <summary>Reads a record's length (32-bit, or 64-bit after 0xffffffff); false when it runs past the section.</summary>
    private bool TryRecordBounds(long pos, long end, out long idAt, out long recordEnd, out int idSize)
    {
        idAt = recordEnd = 0;
        idSize = 4;
        ctx.View.TryU32(pos, out var len32);
        ulong len = len32;
        idAt = pos + 4;
        if (len32 == 0xffff_ffff)
        {
            if (pos + 12 > end || !ctx.View.TryU64(pos + 4, out len))
            {
                ctx.Image.AddError("truncated", "64-bit .eh_frame record length runs past the section", pos);
                return false;
            }
            idAt = pos + 12;
            idSize = 8;
        }
        if (len > (ulong)(end - idAt) || (len != 0 && len < (ulong)idSize))
        {
            ctx.Image.AddError("truncated", $".eh_frame record length 0x{len:x} runs past the section", pos);
            return false;
        }
        recordEnd = idAt + (long)len;
        return true;
    }

    private void ReadIdWord(long at, int size, out ulong id)
    {
        if (size == 8)
        {
            ctx.View.TryU64(at, out id);
            return;
        }
        ctx.View.TryU32(at, out var id32);
        id = id32;
    }

    private void ReadFde(long idAt, int idSize, long recordEnd, long ciePos)
    {
        if (FdeEncoding(ciePos) is not { } encoding)
        {
            _badRecords++;
            return;
        }
        var at = idAt + idSize;
        var fieldAddress = sectionAddress + (ulong)(at - start);
        if (!_decoder.TryRead(ref at, encoding, fieldAddress, _dataBase, applyBase: true, out var pcBegin)
            || !_decoder.TryRead(ref at, (byte)(encoding & 0x0f), 0, 0, applyBase: false, out var pcRange)
            || at > recordEnd)
        {
            _badRecords++;
            return;
        }
        ctx.Image.FunctionSeeds.Add(new FunctionSeed(pcBegin, null, "eh_frame", (long)Math.Min(pcRange, long.MaxValue)));
    }

    /// <summary>The FDE pointer encoding of the CIE at <paramref name="pos"/>; null when it is not a valid CIE.</summary>
    private byte? FdeEncoding(long pos)
    {
        if (_fdeEncodings.TryGetValue(pos, out var cached))
        {
            return cached;
        }
        var result = pos >= start && pos < start + length ? EhCieParser.FdeEncoding(ctx.View, _decoder, pos, start + length, ctx.Header.WordSize) : null;
        _fdeEncodings[pos] = result;
        return result;
    }
}
