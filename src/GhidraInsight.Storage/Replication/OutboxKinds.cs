namespace GhidraInsight.Storage;

/// <summary>The values of <see cref="OutboxEntry.Kind"/>.</summary>
public static class OutboxKinds
{
    /// <summary>An analysis was stored; the key is its id, the payload its metadata and result JSON (never the binary).</summary>
    public const string AnalysisStored = "analysis.stored";

    /// <summary>An annotation was written; the key is <c>id/0xaddress</c>, the payload the full annotation.</summary>
    public const string AnnotationPut = "annotation.put";

    /// <summary>An analysis was deleted with its binary and annotations; the key is its id.</summary>
    public const string AnalysisDeleted = "analysis.deleted";

    /// <summary>An audit entry was recorded; the key is its id, the payload the whole entry.</summary>
    public const string AuditRecorded = "audit.recorded";

    /// <summary>The outbox key of the annotation at <paramref name="address"/>: <c>id/0x</c> and lowercase hex.</summary>
    public static string AnnotationKey(string analysisId, ulong address) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{analysisId}/0x{address:x}");
}
