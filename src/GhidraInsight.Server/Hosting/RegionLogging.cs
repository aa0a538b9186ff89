using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GhidraInsight.Server.Hosting;

/// <summary>
/// How a region logs: one line per event with a time, on stderr (stdout belongs to the command's own output, such as serve's
/// "listening on" line), framework chatter at Warning and above. The host and the configuration's reload messages share it.
/// </summary>
public static class RegionLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
