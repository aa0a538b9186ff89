namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>The fields of the ELF file header this parser uses, read from either class and byte order.</summary>
internal sealed record ElfHeader
{
    public const ushort TypeRelocatable = 1;
    public const ushort TypeExecutable = 2;
    public const ushort TypeShared = 3;
    public const ushort TypeCore = 4;

    public required bool Is64 { get; init; }
    public required bool BigEndian { get; init; }
    public ushort Type { get; init; }
    public ushort Machine { get; init; }
    public ulong Entry { get; init; }
    public ulong ProgramHeaderOffset { get; init; }
    public ulong SectionHeaderOffset { get; init; }
    public ushort ProgramHeaderEntrySize { get; init; }
    public ushort ProgramHeaderCount { get; init; }
    public ushort SectionHeaderEntrySize { get; init; }
    public ushort SectionHeaderCount { get; init; }
    public ushort SectionNameIndex { get; init; }

    public int WordSize => Is64 ? 8 : 4;

    /// <summary>Reads the identification bytes and header; null (with an error) when they are unusable.</summary>
    public static ElfHeader? Read(ReadOnlyMemory<byte> data, BinaryImage image)
    {
        var span = data.Span;
        if (span.Length < 16)
        {
            image.AddError("truncated", $"ELF identification needs 16 bytes, file has {span.Length}", 0);
            return null;
        }
        var elfClass = span[4];
        var encoding = span[5];
        if (elfClass is not (1 or 2))
        {
            image.AddError("unsupported", $"ELF class {elfClass} is neither ELF32 (1) nor ELF64 (2)", 4);
            return null;
        }
        if (encoding is not (1 or 2))
        {
            image.AddError("unsupported", $"ELF data encoding {encoding} is neither little (1) nor big (2) endian", 5);
            return null;
        }
        var is64 = elfClass == 2;
        var view = new ByteView(data, encoding == 2);
        var size = is64 ? 64 : 52;
        if (!view.Has(0, size))
        {
            image.AddError("truncated", $"ELF header needs {size} bytes, file has {view.Length}", 0);
            return null;
        }
        var w = is64 ? 8 : 4;
        view.TryU16(16, out var type);
        view.TryU16(18, out var machine);
        view.TryWord(24, is64, out var entry);
        view.TryWord(24 + w, is64, out var phoff);
        view.TryWord(24 + (2 * w), is64, out var shoff);
        var rest = 24 + (3 * w) + 4; // after e_flags
        view.TryU16(rest + 2, out var phentsize);
        view.TryU16(rest + 4, out var phnum);
        view.TryU16(rest + 6, out var shentsize);
        view.TryU16(rest + 8, out var shnum);
        view.TryU16(rest + 10, out var shstrndx);
        return new ElfHeader
        {
            Is64 = is64,
            BigEndian = encoding == 2,
            Type = type,
            Machine = machine,
            Entry = entry,
            ProgramHeaderOffset = phoff,
            SectionHeaderOffset = shoff,
            ProgramHeaderEntrySize = phentsize,
            ProgramHeaderCount = phnum,
            SectionHeaderEntrySize = shentsize,
            SectionHeaderCount = shnum,
            SectionNameIndex = shstrndx,
        };
    }
}
