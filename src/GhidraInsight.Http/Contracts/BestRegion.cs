namespace GhidraInsight.Http.Contracts;

/// <summary><c>GET /api/regions/best</c> (<c>get_best_region()</c>): the healthy region with the lowest smoothed latency as <see cref="From"/> sees it.</summary>
public sealed record BestRegion(string Region, string From);
