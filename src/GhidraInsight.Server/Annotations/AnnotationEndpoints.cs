using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Server.Analyses;
using GhidraInsight.Server.Problems;
using GhidraInsight.Server.Regions;
using GhidraInsight.Server.Security;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Server.Annotations;

/// <summary>
/// Read and write annotations. Writes are versioned: <c>If-Match: "N"</c> succeeds only on version N (409 otherwise),
/// <c>If-None-Match: *</c> only when none exists yet (412 otherwise); without either the write is unconditional.
/// </summary>
internal static class AnnotationEndpoints
{
    public static void MapAnnotations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/analyses/{id}/annotations", ListAsync).WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapGet("/api/analyses/{id}/annotations/{address}", GetAsync).WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapPut("/api/analyses/{id}/annotations/{address}", PutAsync).WithMetadata(new RequiredRole(ApiRole.Annotate), new StrongWrite());
    }

    private static async Task<IResult> ListAsync(string id, HttpResponse response, AnalysisService analyses, IAnalysisStore store, GhidraOptions options, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return AnalysisEndpoints.BadId(id);
        }
        if (await analyses.GetAsync(key, cancellationToken) is null)
        {
            return AnalysisEndpoints.NotFound(key);
        }
        var annotations = await store.GetAnnotationsAsync(key, cancellationToken);
        // The list's ETag changes whenever any annotation's version does.
        var fingerprint = string.Join(';', annotations.Select(a => $"{a.Address:x}:{a.Version}"));
        response.Headers.ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)))[..16]}\"";
        var body = new JsonObject
        {
            ["analysis_id"] = key,
            ["region"] = options.Region.CurrentRegion,
            ["annotations"] = new JsonArray([.. annotations.Select(a => (JsonNode)AnnotationJson.ToNode(a))]),
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static async Task<IResult> GetAsync(string id, string address, HttpResponse response, IAnalysisStore store, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return AnalysisEndpoints.BadId(id);
        }
        if (!HexAddressConverter.TryParse(address, out var at))
        {
            return BadAddress(address);
        }
        var annotation = await store.GetAnnotationAsync(key, at, cancellationToken);
        if (annotation is null)
        {
            return Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No annotation at that address.", $"{key} has none at {HexAddressConverter.Format(at)}.");
        }
        response.Headers.ETag = AnnotationJson.ETag(annotation.Version);
        return Results.Text(AnnotationJson.ToNode(annotation).ToJsonString(), "application/json");
    }

    private static async Task<IResult> PutAsync(string id, string address, HttpRequest request, HttpResponse response, IAnalysisStore store, GhidraOptions options, ReplicationService replication, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return AnalysisEndpoints.BadId(id);
        }
        if (!HexAddressConverter.TryParse(address, out var at))
        {
            return BadAddress(address);
        }
        var (expected, preconditionError) = Preconditions.Read(request);
        if (preconditionError is not null)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "If-Match must be a version ETag like \"3\".", preconditionError);
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var (input, bodyError) = AnnotationRequest.Parse(body);
        if (input is null)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The annotation body is not valid.", bodyError);
        }
        var write = await store.PutAnnotationAsync(key, at, input, expected, cancellationToken);
        switch (write.Status)
        {
            case AnnotationWriteStatus.AnalysisNotFound:
                return AnalysisEndpoints.NotFound(key);
            case AnnotationWriteStatus.VersionConflict when expected == 0:
                response.Headers.ETag = AnnotationJson.ETag(write.Current!.Version);
                return Problem.Result(StatusCodes.Status412PreconditionFailed, ProblemCodes.PreconditionFailed, "An annotation already exists there.", $"it is at version {write.Current.Version}.");
            case AnnotationWriteStatus.VersionConflict:
                if (write.Current is { } current)
                {
                    response.Headers.ETag = AnnotationJson.ETag(current.Version);
                }
                return Problem.Result(StatusCodes.Status409Conflict, ProblemCodes.VersionConflict, "The annotation changed since you read it.",
                    $"you sent version {expected}; it is at {(write.Current is null ? "none (deleted or never written)" : write.Current.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))}. Read it again and retry.");
        }
        replication.Notify();
        response.Headers.ETag = AnnotationJson.ETag(write.Current!.Version);
        var node = AnnotationJson.ToNode(write.Current);
        node["region"] = options.Region.CurrentRegion;
        return Results.Text(node.ToJsonString(), "application/json", Encoding.UTF8,
            write.Status == AnnotationWriteStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static IResult BadAddress(string address) =>
        Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The address must be hex, like 0x401126.", $"address was '{address}'.");
}
