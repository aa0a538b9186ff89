namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Values from Apple's <c>mach-o/loader.h</c>, <c>mach-o/nlist.h</c> and <c>mach-o/fat.h</c>.</summary>
internal static class MachOConstants
{
    // Magic numbers, as read big-endian from the first four bytes.
    public const uint MhMagic = 0xfeedface;
    public const uint MhMagic64 = 0xfeedfacf;
    public const uint MhCigam = 0xcefaedfe;
    public const uint MhCigam64 = 0xcffaedfe;
    public const uint FatMagic = 0xcafebabe;
    public const uint FatMagic64 = 0xcafebabf;

    /// <summary>More slices than this and a 0xcafebabe file is taken for a Java class file.</summary>
    public const uint MaxFatArchs = 30;
    public const int MaxLoadCommands = 65536;

    // File types.
    public const uint MhObject = 0x1;

    // Header flags.
    public const uint MhTwoLevel = 0x80;
    public const uint MhPie = 0x200000;
    public const uint MhNoHeapExecution = 0x1000000;

    // Load commands.
    public const uint LcReqDyld = 0x80000000;
    public const uint LcSegment = 0x1;
    public const uint LcSymtab = 0x2;
    public const uint LcThread = 0x4;
    public const uint LcUnixThread = 0x5;
    public const uint LcDysymtab = 0xb;
    public const uint LcLoadDylib = 0xc;
    public const uint LcSegment64 = 0x19;
    public const uint LcCodeSignature = 0x1d;
    public const uint LcLazyLoadDylib = 0x20;
    public const uint LcFunctionStarts = 0x26;
    public const uint LcLoadWeakDylib = 0x18 | LcReqDyld;
    public const uint LcReexportDylib = 0x1f | LcReqDyld;
    public const uint LcLoadUpwardDylib = 0x23 | LcReqDyld;
    public const uint LcMain = 0x28 | LcReqDyld;

    // VM protections.
    public const uint VmProtRead = 0x1;
    public const uint VmProtWrite = 0x2;
    public const uint VmProtExecute = 0x4;

    // Section flags.
    public const uint SectionTypeMask = 0xff;
    public const uint SRegular = 0x0;
    public const uint SZeroFill = 0x1;
    public const uint SSymbolStubs = 0x8;
    public const uint SGbZeroFill = 0xc;
    public const uint SThreadLocalZeroFill = 0x12;
    public const uint SAttrPureInstructions = 0x80000000;
    public const uint SAttrSomeInstructions = 0x400;

    // nlist.
    public const byte NStab = 0xe0;
    public const byte NPext = 0x10;
    public const byte NTypeMask = 0x0e;
    public const byte NExt = 0x01;
    public const byte NUndf = 0x0;
    public const byte NAbs = 0x2;
    public const byte NSect = 0xe;
    public const ushort NWeakRef = 0x40;
    public const ushort NWeakDef = 0x80;

    // Indirect symbol table markers.
    public const uint IndirectSymbolLocal = 0x80000000;
    public const uint IndirectSymbolAbs = 0x40000000;

    // CPU types.
    public const uint CpuArchAbi64 = 0x01000000;
    public const uint CpuArchAbi6432 = 0x02000000;
    public const uint CpuTypeX86 = 7;
    public const uint CpuTypeX8664 = CpuTypeX86 | CpuArchAbi64;
    public const uint CpuTypeArm = 12;
    public const uint CpuTypeArm64 = CpuTypeArm | CpuArchAbi64;
    public const uint CpuTypeArm6432 = CpuTypeArm | CpuArchAbi6432;
    public const uint CpuTypePowerPc = 18;
    public const uint CpuTypePowerPc64 = CpuTypePowerPc | CpuArchAbi64;
}
