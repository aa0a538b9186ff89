using GhidraInsight.Http.Problems;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Regions.Locality;

/// <summary>
/// <c>GET /api/internal/binaries/{id}</c>: a raw binary this region holds, for another region that needs it (signed requests
/// only, through <see cref="RegionAuthenticationMiddleware"/>). Raw binaries otherwise stay where they were uploaded.
/// </summary>
internal static class BinaryEndpoints
{
    public const string Path = "/api/internal/binaries/{id}";

    public static void MapBinaries(this IEndpointRouteBuilder app) => app.MapGet(Path, GetAsync).ExcludeFromDescription();

    private static async Task<IResult> GetAsync(string id, IAnalysisStore store, CancellationToken cancellationToken)
    {
        var binary = await store.GetBinaryAsync(id.ToLowerInvariant(), cancellationToken);
        return binary is null
            ? Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "This region does not hold that binary.", id)
            : Results.Bytes(binary, "application/octet-stream");
    }
}
