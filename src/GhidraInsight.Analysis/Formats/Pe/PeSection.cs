namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>One row of the section table, with the raw size already clamped to the input.</summary>
/// <param name="Name">Section name, long names resolved through the COFF string table.</param>
/// <param name="VirtualAddress">RVA of the first byte.</param>
/// <param name="VirtualSize">Size in memory as written in the header (may be 0).</param>
/// <param name="RawOffset">PointerToRawData.</param>
/// <param name="RawSize">SizeOfRawData clamped to the bytes present in the input.</param>
/// <param name="Characteristics">IMAGE_SCN_* flags.</param>
internal readonly record struct PeSection(
    string Name, uint VirtualAddress, uint VirtualSize, uint RawOffset, uint RawSize, uint Characteristics)
{
    public const uint CntCode = 0x20;
    public const uint CntInitializedData = 0x40;
    public const uint CntUninitializedData = 0x80;
    public const uint MemExecute = 0x20000000;
    public const uint MemRead = 0x40000000;
    public const uint MemWrite = 0x80000000;

    /// <summary>Bytes of the address space the section covers: the larger of its memory and file sizes.</summary>
    public uint Span => Math.Max(VirtualSize, RawSize);

    public bool Executable => (Characteristics & (MemExecute | CntCode)) != 0;

    public bool ContainsRva(uint rva) => rva >= VirtualAddress && rva - VirtualAddress < Span;

    public string Permissions => string.Concat(
        (Characteristics & MemRead) != 0 ? "r" : "-",
        (Characteristics & MemWrite) != 0 ? "w" : "-",
        (Characteristics & MemExecute) != 0 ? "x" : "-");

    public string? Type =>
        (Characteristics & CntCode) != 0 ? "code"
        : (Characteristics & CntUninitializedData) != 0 && RawSize == 0 ? "bss"
        : (Characteristics & (CntInitializedData | CntUninitializedData)) != 0 ? "data"
        : null;
}
