namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Finds .eh_frame through PT_GNU_EH_FRAME (.eh_frame_hdr) when a file has no section headers.</summary>
internal static class EhFrameHeader
{
    public static (long Start, long Length, ulong Address)? Locate(ElfContext ctx)
    {
        foreach (var seg in ctx.Segments)
        {
            if (seg.Type != ElfSegment.GnuEhFrame || !ctx.TryFileRange(seg.Offset, seg.FileSize, "GNU_EH_FRAME segment", out var hdr, out var hdrLength))
            {
                continue;
            }
            if (hdrLength < 8 || !ctx.View.TryU8(hdr, out var version) || version != 1 || !ctx.View.TryU8(hdr + 1, out var encoding))
            {
                ctx.Image.AddError("bad_value", ".eh_frame_hdr has an unknown version or is too short", hdr);
                return null;
            }
            var at = hdr + 4;
            var decoder = new EhPointerDecoder(ctx.View, hdr + hdrLength, ctx.Header.Is64);
            if (!decoder.TryRead(ref at, encoding, seg.Address + 4, seg.Address, applyBase: true, out var frameAddress)
                || ctx.OffsetOfAddress(frameAddress) is not { } frameOffset)
            {
                ctx.Image.AddError("bad_value", ".eh_frame_hdr points to an unmapped .eh_frame", hdr);
                return null;
            }
            return (frameOffset, LoadedBytesAfter(ctx, frameAddress, frameOffset), frameAddress);
        }
        return null;
    }

    /// <summary>Bytes from the address to the end of its PT_LOAD segment's file image (the walk stops at the terminator).</summary>
    private static long LoadedBytesAfter(ElfContext ctx, ulong address, long offset)
    {
        foreach (var seg in ctx.Segments)
        {
            if (seg.Type == ElfSegment.Load && address >= seg.Address && address - seg.Address < seg.FileSize)
            {
                var inSegment = seg.FileSize - (address - seg.Address);
                return (long)Math.Min(inSegment, (ulong)(ctx.View.Length - offset));
            }
        }
        return ctx.View.Length - offset;
    }
}
