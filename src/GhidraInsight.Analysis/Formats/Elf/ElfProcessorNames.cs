namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Processor-specific section and segment types (0x70000000–0x7fffffff), whose meaning depends on e_machine.</summary>
internal static class ElfProcessorNames
{
    private const ushort Mips = 8;
    private const ushort Arm = 40;
    private const ushort X8664 = 62;
    private const ushort Arm64 = 183;
    private const ushort RiscV = 243;

    public static string? SectionType(uint type, ushort machine) => (machine, type) switch
    {
        (X8664, 0x70000001) => "X86_64_UNWIND",
        (Arm, 0x70000001) => "ARM_EXIDX",
        (Arm, 0x70000002) => "ARM_PREEMPTMAP",
        (Arm, 0x70000003) => "ARM_ATTRIBUTES",
        (Arm64, 0x70000003) => "AARCH64_ATTRIBUTES",
        (Mips, 0x70000000) => "MIPS_LIBLIST",
        (Mips, 0x70000002) => "MIPS_CONFLICT",
        (Mips, 0x70000003) => "MIPS_GPTAB",
        (Mips, 0x70000005) => "MIPS_DEBUG",
        (Mips, 0x70000006) => "MIPS_REGINFO",
        (Mips, 0x7000000d) => "MIPS_OPTIONS",
        (Mips, 0x7000001e) => "MIPS_DWARF",
        (Mips, 0x7000002a) => "MIPS_ABIFLAGS",
        (Mips, 0x7000002b) => "MIPS_XHASH",
        (RiscV, 0x70000003) => "RISCV_ATTRIBUTES",
        _ => null,
    };

    public static string? SegmentType(uint type, ushort machine) => (machine, type) switch
    {
        (Arm, 0x70000001) => "EXIDX",
        (Arm64, 0x70000002) => "AARCH64_MEMTAG_MTE",
        (Mips, 0x70000000) => "REGINFO",
        (Mips, 0x70000001) => "RTPROC",
        (Mips, 0x70000002) => "OPTIONS",
        (Mips, 0x70000003) => "ABIFLAGS",
        (RiscV, 0x70000003) => "RISCV_ATTRIBUT",
        _ => null,
    };
}
