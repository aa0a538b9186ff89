using System.Text.Json;
using GhidraInsight.Http.Problems;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Metrics;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// <c>POST /api/replicate</c>: another region's outbox batch (or a page of its snapshot), applied idempotently; the answer is how
/// far this region has applied that origin. Reached only through <see cref="RegionAuthenticationMiddleware"/>, which has
/// verified the sender and read the body within its limit.
/// </summary>
internal static class ReplicationEndpoints
{
    public static void MapReplication(this IEndpointRouteBuilder app) =>
        app.MapPost(RegionPaths.Replicate, ReplicateAsync).ExcludeFromDescription();

    private static async Task<IResult> ReplicateAsync(HttpContext context, ReplicationReceiver receiver, RegionMetrics metrics, CancellationToken cancellationToken)
    {
        var origin = RegionIdentity.Of(context)!.Region;
        var body = context.Features.Get<SignedBody>()!.Bytes;
        ReplicationBatch batch;
        try
        {
            batch = ReplicationJson.DeserializeBatch(body);
        }
        catch (JsonException ex)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The replication batch is not valid JSON.", ex.Message);
        }

        // Below its space reserve a region takes no new analyses (they are large); the sender backs off and sends the batch again
        // once space is freed. Batches without analyses (annotations, deletions) still fit in the reserve.
        if (context.RequestServices.GetService<DataFolderSpace>() is { IsLow: true, FreeBytes: { } free } space
            && batch.Entries.Any(entry => entry.Kind == OutboxKinds.AnalysisStored))
        {
            return StorageFullAnswer.Result(context, StorageFullAnswer.Describe(free, space.ReserveBytes));
        }

        ReplicationApply applied;
        try
        {
            applied = await receiver.ApplyAsync(origin, batch, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The replication batch cannot be applied; nothing was.", ex.Message);
        }

        metrics.EntriesApplied(origin, applied.Applied);
        return Results.Bytes(ReplicationJson.Serialize(new ReplicationAck(applied.HighWaterMark)), "application/json");
    }
}
