using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// The inter-region surface: every path here accepts only requests another region signed with the region secret, and the
/// largest body each may carry (read before anything else, so an unauthenticated sender cannot make a region buffer more).
/// </summary>
public static class RegionPaths
{
    /// <summary>Where DotNext's HTTP transport sends Raft messages (small: the state is a few hundred bytes).</summary>
    public static readonly PathString Consensus = "/cluster-consensus";

    /// <summary>Replication batches and snapshot pages (500 entries of large analyses at most).</summary>
    public static readonly PathString Replicate = "/api/replicate";

    /// <summary>The internal API: failover status, switchover relay, raw binaries.</summary>
    public static readonly PathString Internal = "/api/internal";

    /// <summary>The largest body an inter-region request to <paramref name="path"/> may carry; null when the path is not inter-region.</summary>
    public static long? MaxBodyBytes(PathString path) =>
        path.StartsWithSegments(Replicate) ? 256L << 20
        : path.StartsWithSegments(Consensus) ? 4L << 20
        : path.StartsWithSegments(Internal) ? 64L << 10
        : null;

    /// <summary>Whether <paramref name="path"/> is part of the inter-region surface (signed, never rate-limited per user).</summary>
    public static bool IsInterRegion(PathString path) => MaxBodyBytes(path) is not null;
}
