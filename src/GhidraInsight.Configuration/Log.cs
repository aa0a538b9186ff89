using Microsoft.Extensions.Logging;

namespace GhidraInsight.Configuration;

/// <summary>The configuration project's log messages, with stable event ids (2000 range).</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Configuration reloaded ({Trigger}): {Keys} took new values")]
    public static partial void Reloaded(ILogger logger, ReloadTrigger trigger, string keys);

    [LoggerMessage(2002, LogLevel.Debug, "Configuration re-read ({Trigger}); no reloadable value changed")]
    public static partial void ReloadUnchanged(ILogger logger, ReloadTrigger trigger);

    [LoggerMessage(2007, LogLevel.Information, "Configuration re-read on request (SIGHUP): nothing reloadable changed")]
    public static partial void ReloadRequestedUnchanged(ILogger logger);

    [LoggerMessage(2003, LogLevel.Error, "Configuration reload ({Trigger}) refused with {Count} problems; the running configuration stays")]
    public static partial void ReloadRefused(ILogger logger, ReloadTrigger trigger, int count);

    [LoggerMessage(2004, LogLevel.Error, "Configuration problem: {Problem}")]
    public static partial void ReloadProblem(ILogger logger, string problem);

    [LoggerMessage(2005, LogLevel.Warning, "{Key} changed; it takes effect at the next restart")]
    public static partial void RestartRequired(ILogger logger, string key);

    [LoggerMessage(2006, LogLevel.Error, "Configuration reload after a change of {Path} failed; the running configuration stays")]
    public static partial void ReloadFailed(ILogger logger, string path, Exception exception);
}
