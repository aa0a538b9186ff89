namespace GhidraInsight.Storage;

/// <summary>
/// One epoch's stretch of an annotation's write chain: the versions above <see cref="StartsAfterVersion"/> up to where the
/// next segment starts (for the last segment, up to the annotation's own version) were written by the primary of
/// <see cref="Epoch"/>. A key first written in epoch 1 has the single segment (1, 0).
/// </summary>
/// <param name="Epoch">The primary epoch that wrote this stretch of the chain.</param>
/// <param name="StartsAfterVersion">The version the epoch continued from: its first write here was this version plus one.</param>
public sealed record LineageSegment(long Epoch, long StartsAfterVersion);
