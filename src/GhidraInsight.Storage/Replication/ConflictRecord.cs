namespace GhidraInsight.Storage;

/// <summary>
/// A replicated write that lost and was kept rather than dropped. <see cref="Kind"/> is <c>annotation</c>: after a failover the
/// annotation <see cref="Lost"/> (complete, as it was acknowledged) was overwritten by, or arrived after, a write of epoch
/// <see cref="WonEpoch"/> and version <see cref="WonVersion"/> that does not descend from it. <see cref="ReportedBy"/> is the
/// origin region of the replicated entry whose application detected it.
/// </summary>
public sealed record ConflictRecord(long Id, string Kind, string AnalysisId, ulong Address, Annotation Lost, long WonEpoch, long WonVersion, string ReportedBy, DateTimeOffset RecordedAt);
