namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>One nlist / nlist_64 entry.</summary>
internal readonly record struct MachOSymbol(uint NameOffset, byte Type, byte Section, ushort Description, ulong Value)
{
    public bool IsDebug => (Type & MachOConstants.NStab) != 0;
    public bool IsExternal => (Type & MachOConstants.NExt) != 0;
    public int Kind => Type & MachOConstants.NTypeMask;

    /// <summary>Two-level namespace library ordinal, GET_LIBRARY_ORDINAL(n_desc).</summary>
    public int LibraryOrdinal => (Description >> 8) & 0xff;
}
