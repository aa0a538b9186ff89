namespace GhidraInsight.Regions.Failover;

/// <summary>Why a primary changed.</summary>
public static class FailoverReasons
{
    /// <summary>The primary failed <c>failure_threshold</c> failover checks in a row.</summary>
    public const string Health = "health";

    /// <summary><c>ghidrainsight failover --to</c> or <c>POST /api/failover</c>.</summary>
    public const string Manual = "manual";

    /// <summary><c>primary_region</c> (<c>GHIDRA_REGION_PRIMARY</c>) was changed.</summary>
    public const string Config = "config";
}
