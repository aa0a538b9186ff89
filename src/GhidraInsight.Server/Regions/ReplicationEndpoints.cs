using System.Text.Json;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Security;
using GhidraInsight.Server.Caching;
using GhidraInsight.Regions.Http;
using GhidraInsight.Server.Metrics;
using GhidraInsight.Server.Problems;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Server.Regions;

/// <summary>
/// The inter-region API. Every request must be signed by a known region with the shared secret (HMAC-SHA256 over body,
/// region, timestamp, nonce, method and path); anything unsigned, badly signed, stale or replayed gets 401 and nothing is applied.
/// </summary>
internal static class ReplicationEndpoints
{
    /// <summary>Largest replication batch body accepted (500 entries of large analyses).</summary>
    private const long MaxBatchBytes = 256L * 1024 * 1024;

    public static void MapReplication(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/replicate", ReplicateAsync).ExcludeFromDescription();
        app.MapGet("/api/internal/binaries/{id}", GetBinaryAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> ReplicateAsync(HttpContext context, IAnalysisStore store, AnalysisCache cache, ServerMetrics metrics, CancellationToken cancellationToken)
    {
        var body = context.Request.ContentLength > MaxBatchBytes ? null : await BoundedBody.ReadAsync(context.Request.Body, MaxBatchBytes, cancellationToken);
        if (body is null)
        {
            return Problem.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The replication batch is too large.", $"The limit is {MaxBatchBytes} bytes.");
        }
        if (Verify(context, body) is { } refusal)
        {
            return refusal;
        }
        var origin = context.Request.Headers[RegionHeaders.Region].ToString();
        ReplicationBatch batch;
        try
        {
            batch = ReplicationJson.DeserializeBatch(body);
        }
        catch (JsonException ex)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The replication batch is not valid JSON.", ex.Message);
        }
        ReplicationApply applied;
        try
        {
            applied = await context.RequestServices.GetRequiredService<ReplicationReceiver>().ApplyAsync(origin, batch, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The replication batch cannot be applied; nothing was.", ex.Message);
        }
        foreach (var id in applied.ChangedAnalysisIds)
        {
            cache.Invalidate(id);
        }
        metrics.EntriesApplied(origin, applied.Applied);
        return Results.Bytes(ReplicationJson.Serialize(new ReplicationAck(applied.HighWaterMark)), "application/json");
    }

    private static async Task<IResult> GetBinaryAsync(string id, HttpContext context, IAnalysisStore store, CancellationToken cancellationToken)
    {
        if (Verify(context, []) is { } refusal)
        {
            return refusal;
        }
        var binary = await store.GetBinaryAsync(id.ToLowerInvariant(), cancellationToken);
        return binary is null
            ? Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "This region does not hold that binary.", id)
            : Results.Bytes(binary, "application/octet-stream");
    }

    /// <summary>Null when the request is signed by another known region; else the 401 to answer with.</summary>
    internal static IResult? Verify(HttpContext context, ReadOnlySpan<byte> body)
    {
        var verifier = context.RequestServices.GetService<RegionRequestVerifier>();
        if (verifier is null)
        {
            return Problem.Result(StatusCodes.Status401Unauthorized, ProblemCodes.RegionUnauthorized, "Inter-region requests are not accepted here.",
                "This region has no inter-region secret configured.");
        }
        var result = verifier.Verify(context.Request.Headers, context.Request.Method, context.Request.GetEncodedPathAndQuery(), body);
        return result.Succeeded
            ? null
            : Problem.Result(StatusCodes.Status401Unauthorized, ProblemCodes.RegionUnauthorized, "The inter-region request is not authentic.", result.Code);
    }
}
