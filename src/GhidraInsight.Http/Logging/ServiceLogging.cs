using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GhidraInsight.Http.Logging;

/// <summary>
/// How a long-running command logs (a region, the gateway, and their configuration reloads): one line per event with a time, on
/// stderr (stdout belongs to the command's own output, such as "listening on"), framework chatter at Warning and above. The host's
/// own start failure is left to the command, which says it in one line without a stack trace. With <c>GHIDRA_LOG_FORMAT=json</c>
/// (<c>--log-format json</c>) each event is one JSON object with its event id and fields, for log shippers.
/// </summary>
public static class ServiceLogging
{
    /// <summary>The environment variable that chooses the format; <c>up</c>'s regions and gateway inherit it.</summary>
    public const string FormatVariable = "GHIDRA_LOG_FORMAT";

    /// <summary>The formats <see cref="FormatVariable"/> may name.</summary>
    public static readonly IReadOnlyList<string> Formats = ["text", "json"];

    /// <summary>Whether the environment asks for JSON logs.</summary>
    public static bool IsJson => string.Equals(Environment.GetEnvironmentVariable(FormatVariable), "json", StringComparison.OrdinalIgnoreCase);

    public static void Configure(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Yarp", LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical)
            // Our exception handler logs each unhandled error once, with the request id; ASP.NET's would log it a second time.
            .AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);
        if (IsJson)
        {
            logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
