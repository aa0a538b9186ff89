using Microsoft.Extensions.Logging;

namespace GhidraInsight.Http;

/// <summary>The shared HTTP plumbing's log messages, with stable event ids (3000 range).</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Error, "{Method} {Path} answered 500 INTERNAL (request {RequestId}): an unexpected error")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path, string requestId);

    [LoggerMessage(3002, LogLevel.Information, "TLS certificate {File} reloaded: {Subject}, valid until {NotAfter:u}")]
    public static partial void CertificateReloaded(ILogger logger, string file, string subject, DateTime notAfter);

    [LoggerMessage(3003, LogLevel.Warning, "A changed TLS certificate was not taken; the one in use stays: {Reason}")]
    public static partial void CertificateReloadFailed(ILogger logger, string reason);

    [LoggerMessage(3004, LogLevel.Warning, "Refused a peer's TLS {Side} certificate {Subject}: {Reason}")]
    public static partial void PeerCertificateRefused(ILogger logger, string side, string subject, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "{Method} {Path} answered {Status} {Code} (request {RequestId})")]
    public static partial void FailureAnswered(ILogger logger, string method, string path, int status, string code, string requestId);
}
