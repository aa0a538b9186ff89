namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>One section header as read from the file (offsets and sizes unchecked until used).</summary>
internal readonly record struct ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Flags,
    ulong Address,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong EntrySize)
{
    public const uint SymbolTable = 2;
    public const uint StringTable = 3;
    public const uint Rela = 4;
    public const uint Dynamic = 6;
    public const uint NoBits = 8;
    public const uint Rel = 9;
    public const uint DynamicSymbols = 11;
    public const ulong FlagWrite = 1;
    public const ulong FlagAlloc = 2;
    public const ulong FlagExecute = 4;

    /// <summary>Offset of the name in the section name table (sh_name).</summary>
    public ulong NameOffset { get; init; }

    public bool IsAlloc => (Flags & FlagAlloc) != 0;
    public bool IsExecutable => (Flags & FlagExecute) != 0;
    public bool HasFileBytes => Type != NoBits && Type != 0;
}
