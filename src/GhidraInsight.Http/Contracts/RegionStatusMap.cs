namespace GhidraInsight.Http.Contracts;

/// <summary>The body of <c>GET /api/regions</c>: every region of the deployment by name, in configuration order.</summary>
public sealed class RegionStatusMap : Dictionary<string, RegionStatusEntry>
{
    public RegionStatusMap()
        : base(StringComparer.Ordinal)
    {
    }
}
