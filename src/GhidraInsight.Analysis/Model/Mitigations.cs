namespace GhidraInsight.Analysis.Model;

/// <summary>
/// Exploit mitigations. Only the properties that apply to the file's format are set; the others stay null.
/// </summary>
public sealed record Mitigations
{
    // ELF
    public bool? Nx { get; init; }
    public bool? Pie { get; init; }
    /// <summary><c>none</c>, <c>partial</c> or <c>full</c>.</summary>
    public string? Relro { get; init; }
    public bool? Canary { get; init; }
    public bool? Fortify { get; init; }
    // PE
    public bool? Aslr { get; init; }
    public bool? HighEntropyVa { get; init; }
    public bool? Dep { get; init; }
    public bool? Cfg { get; init; }
    public bool? SafeSeh { get; init; }
    public bool? Signed { get; init; }
    // Mach-O
    public bool? NoHeapExec { get; init; }
    public bool? CodeSignature { get; init; }
}
