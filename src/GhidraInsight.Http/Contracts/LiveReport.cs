namespace GhidraInsight.Http.Contracts;

/// <summary><c>GET /health/live</c>: the process runs (<c>{"status": "alive"}</c>).</summary>
public sealed record LiveReport(string Status)
{
    /// <summary>The only answer.</summary>
    public static LiveReport Alive { get; } = new("alive");
}
