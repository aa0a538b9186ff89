namespace GhidraInsight.Storage;

/// <summary>The outcome and, except for <see cref="AnnotationWriteStatus.AnalysisNotFound"/>, the annotation now stored.</summary>
public sealed record AnnotationWrite(AnnotationWriteStatus Status, Annotation? Current);
