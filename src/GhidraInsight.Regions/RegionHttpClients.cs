namespace GhidraInsight.Regions;

/// <summary>Names of the HttpClients registered by <see cref="RegionsServiceCollectionExtensions.AddRegions"/>.</summary>
public static class RegionHttpClients
{
    /// <summary>Unsigned, for <c>/health</c> probes.</summary>
    public const string Health = "GhidraInsight.Regions.Health";

    /// <summary>Signed with the inter-region secret, for <c>/api/replicate</c>.</summary>
    public const string Replication = "GhidraInsight.Regions.Replication";

    /// <summary>Unsigned, for forwarding a caller's request (with the caller's credentials) to the primary.</summary>
    public const string Forwarding = "GhidraInsight.Regions.Forwarding";
}
