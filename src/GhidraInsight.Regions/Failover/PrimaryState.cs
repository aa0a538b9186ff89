namespace GhidraInsight.Regions.Failover;

/// <summary>
/// The replicated state machine's value: who is primary, of which epoch, and every change so far. A new group starts with no
/// primary at epoch 0; its first leader commits the configured <c>primary_region</c> as primary of epoch 1 (not a failover,
/// so not in the history); each committed change after that adds one.
/// </summary>
public sealed record PrimaryState(string Primary, long Epoch, IReadOnlyList<FailoverRecord> History)
{
    /// <summary>A new group before its first commit: nobody is primary.</summary>
    public static PrimaryState Unelected { get; } = new("", 0, []);

    /// <summary>A deployment without an election: the configured primary, at epoch 1 for good.</summary>
    public static PrimaryState Initial(string primary) => new(primary, 1, []);

    /// <summary>Whether a primary has been committed.</summary>
    public bool HasPrimary => Primary.Length > 0;

    /// <summary>The change that made the current primary, if it was not primary from the start.</summary>
    public FailoverRecord? LastChange => History.Count > 0 ? History[^1] : null;
}
