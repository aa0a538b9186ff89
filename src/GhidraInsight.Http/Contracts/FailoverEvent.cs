namespace GhidraInsight.Http.Contracts;

/// <summary>One committed change of primary: when, from and to which region, the epoch it started, and why (<c>health</c>, <c>manual</c>, <c>config</c>).</summary>
public sealed record FailoverEvent(DateTimeOffset At, string From, string To, long Epoch, string Reason);
