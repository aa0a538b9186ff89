using GhidraInsight.Http.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Http.Problems;

/// <summary>
/// Every error a client sees is a problem document: unhandled exceptions become 500 INTERNAL (logged, never echoed),
/// malformed requests 400, unknown routes 404, wrong methods 405. Every host uses it (a region, the gateway).
/// </summary>
public static class ProblemErrorHandling
{
    /// <summary>Puts the exception handler and the status-code pages that answer with problem documents into the pipeline.</summary>
    public static void UseProblemErrorHandling(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (error is BadHttpRequestException bad)
            {
                var code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemCodes.FileTooLarge : ProblemCodes.BadInput;
                await Problem.WriteAsync(context, bad.StatusCode, code, "The request could not be read.", bad.Message);
                return;
            }
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Http");
            if (error is not null)
            {
                Log.UnhandledError(logger, error, context.Request.Method, context.Request.Path, context.TraceIdentifier);
                FailureLogging.MarkLogged(context);
            }
            await Problem.WriteAsync(context, StatusCodes.Status500InternalServerError, ProblemCodes.Internal,
                "Something went wrong on the server.", $"The error is logged; trace id {context.TraceIdentifier}.");
        }));
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            var (code, title) = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => (ProblemCodes.NotFound, "No such endpoint."),
                StatusCodes.Status405MethodNotAllowed => (ProblemCodes.BadInput, "This endpoint does not accept that method."),
                StatusCodes.Status415UnsupportedMediaType => (ProblemCodes.UnsupportedMediaType, "Unsupported content type."),
                _ => (ProblemCodes.BadInput, "The request could not be served."),
            };
            await Problem.WriteAsync(context, context.Response.StatusCode, code, title);
        });
    }
}
