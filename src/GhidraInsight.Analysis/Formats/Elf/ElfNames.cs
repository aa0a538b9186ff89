namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Names for ELF header values, spelled as readelf prints them (lower case where the model asks for it).</summary>
internal static class ElfNames
{
    public static string Arch(ushort machine) => machine switch
    {
        2 or 18 or 43 => "sparc",
        3 => "x86",
        4 => "m68k",
        8 or 10 => "mips",
        20 => "ppc",
        21 => "ppc64",
        22 => "s390x",
        40 => "arm",
        42 => "superh",
        50 => "ia64",
        62 => "x86_64",
        83 => "avr",
        164 => "hexagon",
        183 => "arm64",
        243 => "riscv",
        247 => "bpf",
        258 => "loongarch",
        _ => $"unknown (0x{machine:x2})",
    };

    public static string? FileType(ushort type) => type switch
    {
        ElfHeader.TypeRelocatable => "relocatable",
        ElfHeader.TypeExecutable => "executable",
        ElfHeader.TypeShared => "shared",
        ElfHeader.TypeCore => "core",
        0 => null,
        _ => $"unknown (0x{type:x})",
    };

    public static string SectionType(uint type, ushort machine) => type switch
    {
        0 => "NULL",
        1 => "PROGBITS",
        2 => "SYMTAB",
        3 => "STRTAB",
        4 => "RELA",
        5 => "HASH",
        6 => "DYNAMIC",
        7 => "NOTE",
        8 => "NOBITS",
        9 => "REL",
        10 => "SHLIB",
        11 => "DYNSYM",
        14 => "INIT_ARRAY",
        15 => "FINI_ARRAY",
        16 => "PREINIT_ARRAY",
        17 => "GROUP",
        18 => "SYMTAB SECTION INDICES",
        19 => "RELR",
        0x6ffffff5 => "GNU_ATTRIBUTES",
        0x6ffffff6 => "GNU_HASH",
        0x6ffffff7 => "GNU_LIBLIST",
        0x6ffffffd => "VERDEF",
        0x6ffffffe => "VERNEED",
        0x6fffffff => "VERSYM",
        >= 0x70000000 and <= 0x7fffffff => ElfProcessorNames.SectionType(type, machine) ?? Range(type),
        _ => Range(type),
    };

    public static string SegmentType(uint type, ushort machine) => type switch
    {
        0 => "NULL",
        1 => "LOAD",
        2 => "DYNAMIC",
        3 => "INTERP",
        4 => "NOTE",
        5 => "SHLIB",
        6 => "PHDR",
        7 => "TLS",
        0x6474e550 => "GNU_EH_FRAME",
        0x6474e551 => "GNU_STACK",
        0x6474e552 => "GNU_RELRO",
        0x6474e553 => "GNU_PROPERTY",
        0x6474e554 => "GNU_SFRAME",
        >= 0x70000000 and <= 0x7fffffff => ElfProcessorNames.SegmentType(type, machine) ?? Range(type),
        _ => Range(type),
    };

    public static string SymbolType(byte info) => (info & 0xf) switch
    {
        0 => "notype",
        1 => "object",
        2 => "func",
        3 => "section",
        4 => "file",
        5 => "common",
        6 => "tls",
        10 => "ifunc",
        var t => $"unknown ({t})",
    };

    public static string SymbolBinding(byte info) => (info >> 4) switch
    {
        0 => "local",
        1 => "global",
        2 => "weak",
        10 => "unique",
        var b => $"unknown ({b})",
    };

    /// <summary>"r-x" style letters: read, write, execute.</summary>
    public static string Permissions(bool read, bool write, bool execute) =>
        string.Create(3, (read, write, execute), static (span, f) =>
        {
            span[0] = f.read ? 'r' : '-';
            span[1] = f.write ? 'w' : '-';
            span[2] = f.execute ? 'x' : '-';
        });

    /// <summary>readelf's spelling of values without a name: an offset from the start of their range.</summary>
    private static string Range(uint type) => type switch
    {
        >= 0x60000000 and < 0x70000000 => $"LOOS+0x{type - 0x60000000:x}",
        >= 0x70000000 and < 0x80000000 => $"LOPROC+0x{type - 0x70000000:x}",
        >= 0x80000000 => $"LOUSER+0x{type - 0x80000000:x}",
        _ => $"<unknown>: {type:x}",
    };
}
