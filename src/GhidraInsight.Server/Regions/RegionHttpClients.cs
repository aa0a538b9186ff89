namespace GhidraInsight.Server.Regions;

/// <summary>Names of the HttpClients the server uses to talk to other regions.</summary>
internal static class RegionHttpClients
{
    /// <summary>Strong writes relayed to the primary with the caller's credentials (never region-signed).</summary>
    public const string Forwarding = "ghidrainsight-forwarding";
}
