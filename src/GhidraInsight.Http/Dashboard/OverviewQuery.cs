using System.Globalization;
using GhidraInsight.Http.Problems;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Dashboard;

/// <summary><c>GET /api/overview?since=</c>: only the lag samples taken after that moment (ISO 8601), so a page polling it gets what is new.</summary>
public static class OverviewQuery
{
    /// <summary>The <c>since</c> parameter (null when absent), or a 400 problem when it is not a date and time.</summary>
    public static (DateTimeOffset? Since, IResult? Error) Since(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query["since"].ToString();
        if (text.Length == 0)
        {
            return (null, null);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? (since, null)
            : (null, Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "since must be a date and time (ISO 8601).", $"since was '{text}'."));
    }
}
