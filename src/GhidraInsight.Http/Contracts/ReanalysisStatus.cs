namespace GhidraInsight.Http.Contracts;

/// <summary>
/// <c>GET</c> and <c>POST /api/reanalyze</c>: the primary's re-analysis of every stored result an older engine made. State is
/// <c>idle</c> (none ran since the region started), <c>running</c> or <c>finished</c>. <c>Examined</c> counts stored analyses
/// looked at, <c>Stale</c> those an older engine made; each of them ends as <c>Reanalysed</c>, <c>Current</c> (someone
/// re-analysed it meanwhile, or it was deleted), <c>NotHeld</c> (no region holds its binary: it stays stale) or <c>Failed</c>.
/// </summary>
public sealed record ReanalysisStatus(
    string Region,
    string State,
    string EngineVersion,
    int Concurrency,
    long Examined,
    long Stale,
    long Reanalysed,
    long Current,
    long NotHeld,
    long Failed,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Stale results not finished yet.</summary>
    public long Pending => Stale - Reanalysed - Current - NotHeld - Failed;
}

/// <summary>Inter-region: results a region served stale, for the primary to re-analyse.</summary>
public sealed record ReanalysisRequest(IReadOnlyList<string> Ids);
