namespace GhidraInsight.Configuration;

/// <summary>One reload's decision: the snapshot to run with, the sections whose values changed, and the result for the caller.</summary>
internal sealed record ReloadOutcome(ConfigurationSnapshot Snapshot, IReadOnlyList<IOptionsSection> ChangedSections, ReloadResult Result);
