using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GhidraInsight.Http.Logging;

/// <summary>
/// How a long-running command logs (a region, the gateway, and their configuration reloads): one line per event with a time, on
/// stderr (stdout belongs to the command's own output, such as "listening on"), framework chatter at Warning and above. The host's
/// own start failure is left to the command, which says it in one line without a stack trace.
/// </summary>
public static class ServiceLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Yarp", LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
