namespace GhidraInsight.Storage;

/// <summary>
/// One replicated change. <see cref="Kind"/> is one of <see cref="OutboxKinds"/>; <see cref="Payload"/> is JSON enough to
/// apply it elsewhere; <see cref="Epoch"/> is the primary epoch the write was admitted under.
/// </summary>
public sealed record OutboxEntry(long Sequence, string Kind, string Key, string Payload, long Epoch, DateTimeOffset CreatedAt);
