using Microsoft.Extensions.Logging;

namespace GhidraInsight.Http;

/// <summary>The shared HTTP plumbing's log messages, with stable event ids (3000 range).</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Error, "{Method} {Path} answered 500 INTERNAL (request {RequestId}): an unexpected error")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path, string requestId);
}
