namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>
/// Names x86 PLT stubs <c>name@plt</c> the way objdump does: each stub's indirect <c>jmp</c> reads a GOT slot,
/// and the JUMP_SLOT or GLOB_DAT relocation of that slot names the symbol. Other architectures are not handled.
/// </summary>
internal static class ElfPltResolver
{
    private const uint GlobDat = 6;
    private const uint JumpSlot = 7;
    private const ushort MachineX86 = 3;
    private const ushort MachineX8664 = 62;
    private static readonly string[] StubSections = [".plt", ".plt.sec", ".plt.got", ".plt.bnd"];

    public static void Resolve(ElfContext ctx)
    {
        if (ctx.Header.Machine is not (MachineX86 or MachineX8664) || ctx.DynamicSymbols.Count == 0)
        {
            return;
        }
        var slots = GotSlotNames(ctx);
        if (slots.Count == 0)
        {
            return;
        }
        var gotBase = (ctx.FindSection(".got.plt") ?? ctx.FindSection(".got"))?.Address ?? 0;
        foreach (var name in StubSections)
        {
            if (ctx.FindSection(name) is not { } plt || !plt.HasFileBytes
                || !ctx.TryFileRange(plt.Offset, plt.Size, $"section {name}", out var start, out var length))
            {
                continue;
            }
            var entrySize = plt.EntrySize is 8 or 16 ? (long)plt.EntrySize : 16;
            for (long e = 0; e + entrySize <= length; e += entrySize)
            {
                ctx.ThrowIfCancelled(e / entrySize);
                var address = plt.Address + (ulong)e;
                if (GotSlotOfStub(ctx, start + e, entrySize, address, gotBase) is { } slot && slots.TryGetValue(slot, out var symbol))
                {
                    ctx.Image.StubNames[address] = symbol + "@plt";
                }
            }
        }
    }

    /// <summary>The GOT slot read by the first <c>jmp *slot</c> in one stub, or null.</summary>
    private static ulong? GotSlotOfStub(ElfContext ctx, long at, long size, ulong address, ulong gotBase)
    {
        var is64 = ctx.Header.Machine == MachineX8664;
        for (long i = 0; i + 6 <= size; i++)
        {
            ctx.View.TryU8(at + i, out var op);
            ctx.View.TryU8(at + i + 1, out var modrm);
            if (op != 0xff || modrm is not (0x25 or 0xa3) || !ctx.View.TryU32(at + i + 2, out var disp))
            {
                continue;
            }
            if (is64 && modrm == 0x25)
            {
                return address + (ulong)(i + 6) + (ulong)(long)(int)disp; // RIP-relative
            }
            if (!is64)
            {
                return modrm == 0x25 ? disp : (uint)(gotBase + disp); // absolute, or relative to %ebx = GOT
            }
        }
        return null;
    }

    private static Dictionary<ulong, string> GotSlotNames(ElfContext ctx)
    {
        var byIndex = new Dictionary<int, string>();
        foreach (var sym in ctx.DynamicSymbols)
        {
            byIndex.TryAdd(sym.Index, sym.Name);
        }
        var slots = new Dictionary<ulong, string>();
        foreach (var s in ctx.Sections)
        {
            if (s.Type is not (ElfSection.Rel or ElfSection.Rela) || ctx.SectionAt(s.Link) is not { Type: ElfSection.DynamicSymbols }
                || !ctx.TryFileRange(s.Offset, s.Size, $"relocations {s.Name}", out var start, out var length))
            {
                continue;
            }
            var w = ctx.Header.WordSize;
            var entrySize = (s.Type == ElfSection.Rela ? 3 : 2) * w;
            for (long i = 0; i < Math.Min(length / entrySize, ElfContext.MaxEntries); i++)
            {
                ctx.ThrowIfCancelled(i);
                ctx.View.TryWord(start + (i * entrySize), ctx.Header.Is64, out var offset);
                ctx.View.TryWord(start + (i * entrySize) + w, ctx.Header.Is64, out var info);
                var type = ctx.Header.Is64 ? (uint)info : (uint)(info & 0xff);
                var symbol = ctx.Header.Is64 ? (int)(info >> 32) : (int)(info >> 8);
                if (type is GlobDat or JumpSlot && byIndex.TryGetValue(symbol, out var name) && name.Length > 0)
                {
                    slots[offset] = name;
                }
            }
        }
        return slots;
    }
}
