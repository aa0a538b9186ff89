namespace GhidraInsight.Gateway.Forwarding;

/// <summary>How one attempt ended: relayed to the client, or not, with why and whether another region may be tried.</summary>
/// <param name="Relayed">The answer went to the client.</param>
/// <param name="Failure">What went wrong, for the 503's list of regions tried.</param>
/// <param name="Reason">The metric label: <c>relayed</c>, <c>answer</c> (a retryable answer), <c>transport</c>.</param>
/// <param name="Retryable">Whether the request may be sent to another region.</param>
internal sealed record AttemptOutcome(bool Relayed, string? Failure, string Reason, bool Retryable);
