using GhidraInsight.Http.Logging;
using GhidraInsight.Http.Problems;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Hosting;

/// <summary>
/// A database that did not answer in time, or a disk that filled up under a write, is the service's state, not the user's mistake
/// and not a bug: 503 with the reason and <c>Retry-After</c> (PRIMARY_UNAVAILABLE for a write no primary took, STORAGE_UNAVAILABLE
/// for a read, STORAGE_FULL for a write that found no space; the store rolled it back), logged once without a stack trace, never
/// a 500.
/// </summary>
internal static class StoreUnavailableAnswers
{
    public static void UseStoreUnavailableAnswers(this WebApplication app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (StoreUnavailableException unavailable) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Server");
            var (code, title) = unavailable is PrimaryUnavailableException
                ? (ProblemCodes.PrimaryUnavailable, "No database primary took the write in time; it may be failing over.")
                : (ProblemCodes.StorageUnavailable, "The region's database did not answer in time.");
            Log.StoreUnavailable(logger, context.Request.Method, context.Request.Path, code, context.TraceIdentifier, unavailable.Message);
            FailureLogging.MarkLogged(context);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "2";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, code, title, unavailable.Message);
        }
        catch (Exception exception) when (DiskFull.IsCause(exception) && !context.Response.HasStarted)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Server");
            Log.WriteFoundDiskFull(logger, context.Request.Method, context.Request.Path, context.TraceIdentifier, exception.Message);
            FailureLogging.MarkLogged(context);
            context.Response.Clear();
            await StorageFullAnswer.WriteAsync(context, "The disk filled up during the write; nothing of it was kept. Retry when the operator has freed space.");
        }
    });
}
