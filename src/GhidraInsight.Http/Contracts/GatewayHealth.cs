namespace GhidraInsight.Http.Contracts;

/// <summary>
/// The gateway's <c>GET /health</c>: <c>healthy</c> (HTTP 200) while at least one region serves, <c>unhealthy</c> (503) when none
/// does; which regions serve, who is primary, and why each region that is out is out.
/// </summary>
public sealed record GatewayHealth(string Status, IReadOnlyList<string> Serving, string? Primary, long Epoch, IReadOnlyDictionary<string, string> Out);
