using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Reads the section header table and the section names, and reports sections and mapped regions.</summary>
internal static class ElfSectionReader
{
    private const ushort ExtendedIndex = 0xffff;

    public static void Read(ElfContext ctx)
    {
        var h = ctx.Header;
        if (h.SectionHeaderOffset == 0)
        {
            return;
        }
        var entrySize = h.Is64 ? 64 : 40;
        if (h.SectionHeaderEntrySize < entrySize)
        {
            ctx.Image.AddError("bad_value", $"e_shentsize {h.SectionHeaderEntrySize} is smaller than {entrySize}", null);
            return;
        }
        if (!ctx.View.Has((long)Math.Min(h.SectionHeaderOffset, long.MaxValue), entrySize))
        {
            ctx.Image.AddError("out_of_bounds", $"section header table at 0x{h.SectionHeaderOffset:x} is past the end of the file", null);
            return;
        }
        var tableStart = (long)h.SectionHeaderOffset;
        var first = ReadOne(ctx, tableStart, 0);
        ulong count = h.SectionHeaderCount == 0 ? first.Size : h.SectionHeaderCount;
        var available = (ulong)((ctx.View.Length - tableStart) / h.SectionHeaderEntrySize);
        if (count > available)
        {
            ctx.Image.AddError("truncated", $"section header table claims {count} entries but the file holds {available}", tableStart);
            count = available;
        }
        count = Math.Min(count, ElfContext.MaxEntries);

        var raw = new List<ElfSection>();
        for (var i = 0; i < (int)count; i++)
        {
            ctx.ThrowIfCancelled(i);
            raw.Add(ReadOne(ctx, tableStart + ((long)i * h.SectionHeaderEntrySize), i));
        }
        long nameIndex = h.SectionNameIndex == ExtendedIndex ? first.Link : h.SectionNameIndex;
        var names = ResolveNameTable(ctx, raw, nameIndex);
        foreach (var s in raw)
        {
            ctx.Sections.Add(s with { Name = SectionName(ctx, names, s) });
        }
        Report(ctx);
    }

    private static ElfSection ReadOne(ElfContext ctx, long at, int index)
    {
        var v = ctx.View;
        v.TryU32(at, out var nameOffset);
        v.TryU32(at + 4, out var type);
        if (ctx.Header.Is64)
        {
            v.TryU64(at + 8, out var flags);
            v.TryU64(at + 16, out var addr);
            v.TryU64(at + 24, out var off);
            v.TryU64(at + 32, out var size);
            v.TryU32(at + 40, out var link);
            v.TryU32(at + 44, out var info);
            v.TryU64(at + 56, out var entsize);
            return new ElfSection(index, "", type, flags, addr, off, size, link, info, entsize) { NameOffset = nameOffset };
        }
        v.TryU32(at + 8, out var flags32);
        v.TryU32(at + 12, out var addr32);
        v.TryU32(at + 16, out var off32);
        v.TryU32(at + 20, out var size32);
        v.TryU32(at + 24, out var link32);
        v.TryU32(at + 28, out var info32);
        v.TryU32(at + 36, out var entsize32);
        return new ElfSection(index, "", type, flags32, addr32, off32, size32, link32, info32, entsize32) { NameOffset = nameOffset };
    }

    private static (long Start, long Length)? ResolveNameTable(ElfContext ctx, List<ElfSection> raw, long index)
    {
        if (index <= 0 || index >= raw.Count)
        {
            if (raw.Count > 0)
            {
                ctx.Image.AddError("bad_value", $"section name table index {index} is not a section (count {raw.Count})", null);
            }
            return null;
        }
        var s = raw[(int)index];
        if (s.Type == ElfSection.NoBits || !ctx.TryFileRange(s.Offset, s.Size, "section name table", out var start, out var length))
        {
            return null;
        }
        return (start, length);
    }

    private static string SectionName(ElfContext ctx, (long Start, long Length)? names, ElfSection s)
    {
        if (s.Index == 0)
        {
            return "";
        }
        if (names is { } t && s.NameOffset < (ulong)t.Length)
        {
            return ctx.View.CString(t.Start + (long)s.NameOffset, t.Start + t.Length) ?? "";
        }
        if (names is not null)
        {
            ctx.Image.AddError("out_of_bounds", $"section {s.Index} name offset 0x{s.NameOffset:x} is outside the name table", null);
        }
        return $"[{s.Index}]";
    }

    private static void Report(ElfContext ctx)
    {
        foreach (var s in ctx.Sections)
        {
            if (s.Index == 0)
            {
                continue;
            }
            var fileSize = s.HasFileBytes ? (long)Math.Min(s.Size, long.MaxValue) : 0;
            ctx.Image.Sections.Add(new SectionInfo
            {
                Name = s.Name,
                Type = ElfNames.SectionType(s.Type, ctx.Header.Machine),
                Address = s.Address,
                Offset = (long)Math.Min(s.Offset, long.MaxValue),
                Size = (long)Math.Min(s.Size, long.MaxValue),
                FileSize = fileSize,
                Permissions = s.IsAlloc ? ElfNames.Permissions(true, (s.Flags & ElfSection.FlagWrite) != 0, s.IsExecutable) : "---",
            });
            if (s.IsAlloc && s.HasFileBytes && s.Size > 0
                && ctx.TryFileRange(s.Offset, s.Size, $"section {s.Name}", out var start, out var length) && length > 0)
            {
                ctx.Image.Regions.Add(new MappedRegion(s.Name, s.Address, start, length, s.IsExecutable));
            }
        }
    }
}
