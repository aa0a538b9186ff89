using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats;

/// <summary>
/// What a format parser learned about one image (a whole ELF/PE file or one Mach-O slice).
/// All file offsets are offsets into the whole input, also for slices of a universal file.
/// </summary>
internal sealed class BinaryImage
{
    public required string Format { get; init; }
    public string? Kind { get; set; }
    public string Arch { get; set; } = "unknown";
    public int Bits { get; set; }
    public string Endian { get; set; } = "little";
    public string? FileType { get; set; }
    public ulong? EntryPoint { get; set; }
    public ulong? ImageBase { get; set; }

    /// <summary>Start and length of this image in the input (non-zero start only for universal slices).</summary>
    public long ImageOffset { get; init; }
    public long ImageSize { get; init; }

    public List<SectionInfo> Sections { get; } = [];
    public List<SegmentInfo> Segments { get; } = [];
    public List<SymbolInfo> Symbols { get; } = [];
    public List<ImportInfo> Imports { get; } = [];
    public List<ExportInfo> Exports { get; } = [];
    public Mitigations Mitigations { get; set; } = new();

    /// <summary>Known function starts (symbols, entry point, unwind tables, function-starts lists).</summary>
    public List<FunctionSeed> FunctionSeeds { get; } = [];

    /// <summary>Addresses the file's relocations say are pointers (candidate function starts when they land in code).</summary>
    public List<ulong> CodePointers { get; } = [];

    /// <summary>How virtual addresses map to file bytes; used for strings, crypto hits and disassembly.</summary>
    public List<MappedRegion> Regions { get; } = [];

    /// <summary>Names of call targets that are not functions of the image (PLT stubs, import thunks): address → name.</summary>
    public Dictionary<ulong, string> StubNames { get; } = [];

    public List<AnalysisError> Errors { get; } = [];

    /// <summary>Iced bitness (16/32/64) when the image holds x86 code; null otherwise.</summary>
    public int? X86Bitness => Arch switch
    {
        "x86" => 32,
        "x86_64" => 64,
        _ => null,
    };

    public void AddError(string code, string message, long? offset = null) =>
        Errors.Add(new AnalysisError { Code = code, Message = message, Offset = offset });
}
