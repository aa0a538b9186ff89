using GhidraInsight.Http.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Http.Logging;

/// <summary>
/// One log line per failure a client is answered with (a 5xx), with its problem code and the request id, logged once: the
/// places that say more about a failure (a full disk, a database that did not answer, an unexpected error) log it themselves
/// and mark it, and this line is then not added. Every answer carries the request id (<c>X-Request-Id</c>), so a client can
/// quote it and an operator find the line.
/// </summary>
public static class FailureLogging
{
    /// <summary>The answer header that names the request.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    private static readonly object LoggedKey = new();

    /// <summary>First in the pipeline: it sees the status every later step (the exception handler included) settled on.</summary>
    public static void UseFailureLogging(this WebApplication app, string category)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
                return Task.CompletedTask;
            });
            await next(context);
            if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError && !context.Items.ContainsKey(LoggedKey))
            {
                Log.FailureAnswered(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, Problem.CodeOf(context) ?? "-",
                    context.TraceIdentifier);
            }
        });
    }

    /// <summary>Says that this request's failure has been logged already, with more than the generic line would say.</summary>
    public static void MarkLogged(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[LoggedKey] = true;
    }
}
