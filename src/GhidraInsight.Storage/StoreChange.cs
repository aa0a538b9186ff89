namespace GhidraInsight.Storage;

/// <summary>One write, as the change feed tells it.</summary>
/// <param name="Sequence">Its place in commit order; gapless while nothing is pruned.</param>
/// <param name="Kind">One of <see cref="OutboxKinds"/>.</param>
/// <param name="Key">The analysis id, or <c>id/0xaddress</c> for an annotation (<see cref="OutboxKinds.AnnotationKey"/>).</param>
/// <param name="Epoch">The primary epoch the write was admitted under.</param>
/// <param name="At">When it was written.</param>
public sealed record StoreChange(long Sequence, string Kind, string Key, long Epoch, DateTimeOffset At);
