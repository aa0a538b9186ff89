using GhidraInsight.Http.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Problems;

/// <summary>
/// Declares an endpoint's problem answers, so the OpenAPI document lists each status with the <see cref="ProblemDocument"/>
/// schema and the codes it may carry (see <see cref="ProblemCodesMetadata"/>).
/// </summary>
public static class ProblemResponses
{
    /// <summary>Adds one problem response per status, naming the codes that status carries here.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params (int Status, string Code)[] problems)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var group in problems.GroupBy(problem => problem.Status))
        {
            builder.Produces<ProblemDocument>(group.Key, Problem.ContentType);
            builder.WithMetadata(new ProblemCodesMetadata(group.Key, [.. group.Select(problem => problem.Code).Distinct()]));
        }

        return builder;
    }
}
