namespace GhidraInsight.Storage;

/// <summary>Outcome of <see cref="IAnalysisStore.PutAnnotationAsync"/>.</summary>
public enum AnnotationWriteStatus
{
    Created,
    Updated,
    AnalysisNotFound,
    VersionConflict,
}
