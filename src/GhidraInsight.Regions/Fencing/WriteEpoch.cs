namespace GhidraInsight.Regions.Fencing;

/// <summary>
/// The epoch a write made while serving this request is stamped with, passed explicitly to the store. One per request
/// (scoped): for a strong write, the epoch <see cref="StrongWriteGate"/> admitted it under, so a write that commits just after
/// this region applied a newer epoch still says which epoch accepted it; for any other write, the epoch this region knows now.
/// </summary>
public sealed class WriteEpoch(PrimaryRole role)
{
    private long? _admitted;

    /// <summary>The epoch to pass with this request's writes.</summary>
    public long Value => _admitted ?? role.Epoch;

    /// <summary>Whether this request is a strong write admitted by the primary.</summary>
    public bool IsStrongWrite => _admitted is not null;

    internal void Admit(long epoch) => _admitted = epoch;
}
