using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Regions.Authentication;

/// <summary>The region a request was verifiably signed by, set by <see cref="RegionAuthenticationMiddleware"/> as a request feature.</summary>
public sealed record RegionIdentity(string Region)
{
    /// <summary>The verified sender of this request, or null when it is not an authenticated inter-region request.</summary>
    public static RegionIdentity? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<RegionIdentity>();
    }
}
