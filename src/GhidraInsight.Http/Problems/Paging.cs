using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Problems;

/// <summary>The <c>limit</c> query parameter every list shares: 1 to 1000, 100 when absent.</summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The requested page size, or null when <c>limit</c> is not a whole number from 1 to <see cref="MaxLimit"/>.</summary>
    public static int? Limit(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query["limit"].ToString();
        if (text.Length == 0)
        {
            return DefaultLimit;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit ? limit : null;
    }

    /// <summary>The 400 answer for a bad <c>limit</c>.</summary>
    public static IResult BadLimit(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, $"limit must be a whole number from 1 to {MaxLimit}.",
            $"limit was '{request.Query["limit"]}'.");
    }
}
