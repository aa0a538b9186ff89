namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Reads the dynamic array (from the SHT_DYNAMIC section, else PT_DYNAMIC): needed libraries and binding flags.</summary>
internal static class ElfDynamicReader
{
    private const long DtNull = 0;
    private const long DtNeeded = 1;
    private const long DtStrTab = 5;
    private const long DtStrSize = 10;
    private const long DtDebug = 21;
    private const long DtBindNow = 24;
    private const long DtFlags = 30;
    private const long DtFlags1 = 0x6ffffffb;
    private const ulong DfBindNow = 0x8;
    private const ulong Df1Now = 0x1;

    public static void Read(ElfContext ctx)
    {
        if (!Locate(ctx, out var start, out var length, out var linkedStrings))
        {
            return;
        }
        var w = ctx.Header.WordSize;
        var entrySize = 2 * w;
        var neededOffsets = new List<ulong>();
        ulong strTabAddress = 0, strSize = 0;
        var info = new ElfDynamicInfo();
        var count = Math.Min(length / entrySize, ElfContext.MaxEntries);
        for (long i = 0; i < count; i++)
        {
            ctx.ThrowIfCancelled(i);
            var at = start + (i * entrySize);
            ctx.View.TryWord(at, ctx.Header.Is64, out var tagWord);
            ctx.View.TryWord(at + w, ctx.Header.Is64, out var value);
            var tag = ctx.Header.Is64 ? (long)tagWord : (int)tagWord;
            switch (tag)
            {
                case DtNull:
                    i = count;
                    break;
                case DtNeeded:
                    neededOffsets.Add(value);
                    break;
                case DtStrTab:
                    strTabAddress = value;
                    break;
                case DtStrSize:
                    strSize = value;
                    break;
                case DtDebug:
                    info.HasDebug = true;
                    break;
                case DtBindNow:
                    info.BindNow = true;
                    break;
                case DtFlags when (value & DfBindNow) != 0:
                case DtFlags1 when (value & Df1Now) != 0:
                    info.BindNow = true;
                    break;
            }
        }
        var strings = linkedStrings ?? StringsByAddress(ctx, strTabAddress, strSize);
        foreach (var offset in neededOffsets)
        {
            var name = strings is { } t && offset < (ulong)t.Length ? ctx.View.CString(t.Start + (long)offset, t.Start + t.Length) : null;
            if (name is null)
            {
                ctx.Image.AddError("out_of_bounds", $"DT_NEEDED name offset 0x{offset:x} is outside the dynamic string table", start);
                continue;
            }
            info.Needed.Add(name);
        }
        ctx.Dynamic = info;
    }

    private static bool Locate(ElfContext ctx, out long start, out long length, out (long Start, long Length)? strings)
    {
        start = length = 0;
        strings = null;
        foreach (var s in ctx.Sections)
        {
            if (s.Type != ElfSection.Dynamic)
            {
                continue;
            }
            if (!ctx.TryFileRange(s.Offset, s.Size, "dynamic section", out start, out length))
            {
                return false;
            }
            if (ctx.SectionAt(s.Link) is { Type: ElfSection.StringTable } st
                && ctx.TryFileRange(st.Offset, st.Size, $"string table {st.Name}", out var ss, out var sl))
            {
                strings = (ss, sl);
            }
            return true;
        }
        foreach (var seg in ctx.Segments)
        {
            if (seg.Type == ElfSegment.DynamicType)
            {
                return ctx.TryFileRange(seg.Offset, seg.FileSize, "dynamic segment", out start, out length);
            }
        }
        return false;
    }

    private static (long Start, long Length)? StringsByAddress(ElfContext ctx, ulong address, ulong size)
    {
        if (address == 0 || ctx.OffsetOfAddress(address) is not { } offset)
        {
            return null;
        }
        var length = size == 0 ? ctx.View.Length - offset : (long)Math.Min(size, (ulong)(ctx.View.Length - offset));
        return (offset, length);
    }
}
