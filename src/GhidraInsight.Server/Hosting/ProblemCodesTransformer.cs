using System.Globalization;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GhidraInsight.Server.Hosting;

/// <summary>
/// Completes each operation's problem answers in the OpenAPI document: the codes an endpoint declared per status
/// (<see cref="ProblemCodesMetadata"/>) go into that response's description, and the answers the pipeline gives any endpoint
/// are added: 401/403 where a role is required, 429 (rate limit), 500 and 504 (request timeout).
/// </summary>
internal sealed class ProblemCodesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var declared = metadata.OfType<ProblemCodesMetadata>().ToList();
        var common = new List<ProblemCodesMetadata>
        {
            new(StatusCodes.Status500InternalServerError, [ProblemCodes.Internal]),
            new(StatusCodes.Status504GatewayTimeout, [ProblemCodes.Timeout]),
        };
        if (metadata.OfType<RequiredRole>().Any())
        {
            common.Add(new(StatusCodes.Status401Unauthorized, [ProblemCodes.Unauthorized]));
            common.Add(new(StatusCodes.Status403Forbidden, [ProblemCodes.Forbidden]));
            common.Add(new(StatusCodes.Status429TooManyRequests, [ProblemCodes.RateLimited]));
        }

        operation.Responses ??= [];
        foreach (var problem in declared.Concat(common.Where(c => declared.All(d => d.Status != c.Status))))
        {
            var status = problem.Status.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(status, out var found))
            {
                found = new OpenApiResponse
                {
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Problem.ContentType] = new() { Schema = new OpenApiSchemaReference(nameof(Http.Contracts.ProblemDocument), context.Document) },
                    },
                };
                operation.Responses[status] = found;
            }

            if (found is OpenApiResponse response && !status.Equals("200", StringComparison.Ordinal))
            {
                response.Description = $"A problem document; code: {string.Join(", ", problem.Codes)}.";
            }
        }

        return Task.CompletedTask;
    }
}
