using Microsoft.AspNetCore.Builder;

namespace GhidraInsight.Regions.Fencing;

/// <summary>Marks endpoints as strong writes.</summary>
public static class StrongWriteEndpointExtensions
{
    /// <summary>
    /// This endpoint is a strong write (<see cref="RequiresPrimary"/>): accepted only by the confirmed primary, stamped with the
    /// epoch it was admitted under (<see cref="WriteEpoch"/>), acknowledged only if that epoch still holds once it is stored.
    /// </summary>
    public static TBuilder RequiresPrimary<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(Fencing.RequiresPrimary.Instance);
    }
}
