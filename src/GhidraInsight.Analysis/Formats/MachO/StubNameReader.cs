namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>
/// Names the entries of S_SYMBOL_STUBS sections (<c>__stubs</c>) through LC_DYSYMTAB's indirect symbol table,
/// so that calls to stubs can be shown as calls to the imported function.
/// </summary>
internal static class StubNameReader
{
    public static void Read(MachOParseState state, LoadCommand command)
    {
        var table = state.SymbolTable;
        if (table is null)
        {
            return;
        }
        if (!command.Body.TryU32(56, out var indirectOffset) || !command.Body.TryU32(60, out var indirectCount))
        {
            state.Error("truncated", $"LC_DYSYMTAB of {command.Size} bytes is shorter than 64", command.Offset);
            return;
        }
        if (indirectCount > 0 && !state.InImage(indirectOffset, (ulong)indirectCount * 4))
        {
            state.Error("out_of_bounds", $"indirect symbol table 0x{indirectOffset:x}+{indirectCount}*4 is outside the image", command.Offset);
            return;
        }
        foreach (var section in state.Sections)
        {
            if ((section.Flags & MachOConstants.SectionTypeMask) != MachOConstants.SSymbolStubs || section.Reserved2 == 0)
            {
                continue;
            }
            var stubs = section.Size / section.Reserved2;
            for (ulong i = 0; i < stubs; i++)
            {
                var index = section.Reserved1 + i;
                if (index >= indirectCount)
                {
                    state.Error("out_of_bounds", $"stub section {section.Name} needs indirect symbol {index} of {indirectCount}", command.Offset);
                    break;
                }
                state.View.TryU32(indirectOffset + ((long)index * 4), out var symbolIndex);
                if ((symbolIndex & (MachOConstants.IndirectSymbolLocal | MachOConstants.IndirectSymbolAbs)) != 0)
                {
                    continue;
                }
                if (table.NameAt(symbolIndex) is { Length: > 0 } name)
                {
                    state.Image.StubNames[section.Address + (i * section.Reserved2)] = name;
                }
            }
        }
    }
}
