using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Problems;

/// <summary>
/// A region whose disk is (nearly) full answers 503 STORAGE_FULL with <c>Retry-After</c>: the service's state, not the user's
/// mistake and not a bug. 503 rather than 507 so that a client, or the gateway, tries another region for an upload.
/// </summary>
public static class StorageFullAnswer
{
    /// <summary>Seconds a client is asked to wait; freeing space is an operator's job, so not a second or two.</summary>
    public const int RetryAfterSeconds = 30;

    public const string Title = "This region is out of storage space; nothing was stored.";

    /// <summary>The answer for an endpoint to return.</summary>
    public static IResult Result(HttpContext context, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem.Result(StatusCodes.Status503ServiceUnavailable, ProblemCodes.StorageFull, Title, detail);
    }

    /// <summary>Writes the answer from middleware.</summary>
    public static Task WriteAsync(HttpContext context, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.StorageFull, Title, detail);
    }

    /// <summary>What a low data folder means, in one sentence for clients and <c>/health</c> (no server paths).</summary>
    public static string Describe(long freeBytes, long reserveBytes) =>
        $"{Mib(freeBytes)} free for the data folder, below the reserve of {Mib(reserveBytes)} kept for annotations; uploads are refused until space is freed.";

    /// <summary>Bytes as MiB with one decimal.</summary>
    public static string Mib(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB");
}
