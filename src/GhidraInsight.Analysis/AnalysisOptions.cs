namespace GhidraInsight.Analysis;

/// <summary>Limits of one analysis. The defaults suit interactive use on ordinary binaries.</summary>
public sealed record AnalysisOptions
{
    /// <summary>Largest input accepted, in bytes (default 256 MiB).</summary>
    public long MaxInputSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>Time after which the analysis stops and returns what it has, with an error saying so (default 60 s).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most strings listed (default 200,000).</summary>
    public int MaxStrings { get; init; } = 200_000;

    /// <summary>Most functions listed per image (default 500,000).</summary>
    public int MaxFunctions { get; init; } = 500_000;

    public static AnalysisOptions Default { get; } = new();
}
