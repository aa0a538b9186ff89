namespace GhidraInsight.Http.Contracts;

/// <summary>
/// A strong write that lost to a newer epoch, kept rather than dropped: the <see cref="Lost"/> annotation as it was
/// acknowledged, and the epoch and version of the write that won.
/// </summary>
public sealed record ConflictItem(
    long Id,
    string Kind,
    string AnalysisId,
    string Address,
    AnnotationBody Lost,
    long WonEpoch,
    long WonVersion,
    string ReportedBy,
    DateTimeOffset RecordedAt);
