namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>
/// The targets of a position-independent file's RELATIVE relocations: every pointer the loader fills in with "load base + value"
/// (vtables, function-pointer tables, <c>.init_array</c>), which the file itself holds as zeros. They are candidate function
/// starts for discovery. x86 and x86-64 only; other machines' relocation types are not read.
/// </summary>
internal static class ElfRelocationReader
{
    private const uint X8664Relative = 8;
    private const uint I386Relative = 8;
    private const ushort MachineI386 = 3;
    private const ushort MachineX8664 = 62;

    public static void Read(ElfContext ctx)
    {
        var header = ctx.Header;
        if (header.Machine is not (MachineI386 or MachineX8664))
        {
            return;
        }
        foreach (var section in ctx.Sections.Where(s => s.Type is ElfSection.Rela or ElfSection.Rel && s.IsAlloc))
        {
            var rela = section.Type == ElfSection.Rela;
            var entrySize = header.Is64 ? (rela ? 24L : 16L) : (rela ? 12L : 8L);
            if (!ctx.TryFileRange(section.Offset, section.Size, $"relocation section {section.Name}", out var start, out var length))
            {
                continue;
            }
            for (long i = 0; i < Math.Min(length / entrySize, ElfContext.MaxEntries); i++)
            {
                ctx.ThrowIfCancelled(i);
                var at = start + (i * entrySize);
                if (!ctx.View.TryWord(at, header.Is64, out var offset) || !ctx.View.TryWord(at + header.WordSize, header.Is64, out var info))
                {
                    break;
                }
                var type = header.Is64 ? (uint)(info & 0xFFFFFFFF) : (uint)(info & 0xFF);
                if (type != (header.Is64 ? X8664Relative : I386Relative))
                {
                    continue;
                }
                if (rela)
                {
                    if (ctx.View.TryWord(at + (2L * header.WordSize), header.Is64, out var addend))
                    {
                        ctx.Image.CodePointers.Add(addend);
                    }
                }
                else if (ctx.OffsetOfAddress(offset) is { } slot && ctx.View.TryWord(slot, header.Is64, out var value))
                {
                    ctx.Image.CodePointers.Add(value);
                }
            }
        }
    }
}
