namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>What the dynamic section says that the rest of the parser needs.</summary>
internal sealed class ElfDynamicInfo
{
    public List<string> Needed { get; } = [];
    public bool BindNow { get; set; }
    public bool HasDebug { get; set; }
}
