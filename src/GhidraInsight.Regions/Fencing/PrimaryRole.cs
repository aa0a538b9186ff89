using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;

namespace GhidraInsight.Regions.Fencing;

/// <summary>
/// Who is primary as this region knows it, and whether this region may accept a strong write right now. With a Raft group
/// the <see cref="FailoverCoordinator"/> keeps it current; without one (a single region) the configured primary holds
/// epoch 1 for good.
/// </summary>
public sealed class PrimaryRole
{
    private readonly string _currentRegion;
    private readonly TimeProvider _time;
    private PrimaryState _state;
    private long _fencedUntil;
    private long _readyEpoch;
    private volatile string _refusal = "";

    private PrimaryRole(string currentRegion, PrimaryState state, TimeProvider time, bool fenced)
    {
        _currentRegion = currentRegion;
        _state = state;
        _time = time;
        _fencedUntil = fenced ? 0 : long.MaxValue;
        _readyEpoch = fenced ? 0 : state.Epoch;
        _refusal = fenced ? "the primary role is not confirmed with the other regions yet" : "";
    }

    /// <summary>The role of a deployment without an election: the configured primary at epoch 1, always allowed.</summary>
    public static PrimaryRole Fixed(RegionOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.CurrentRegion, PrimaryState.Initial(options.EffectivePrimary), time ?? TimeProvider.System, fenced: false);
    }

    /// <summary>A role the election decides: no primary until the group commits one, nothing accepted until confirmed.</summary>
    public static PrimaryRole Elected(RegionOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.CurrentRegion, PrimaryState.Unelected, time ?? TimeProvider.System, fenced: true);
    }

    /// <summary>The role a region with these options starts with: <see cref="Elected"/> when it runs an election, else <see cref="Fixed"/>.</summary>
    public static PrimaryRole For(RegionOptions options, TimeProvider? time = null) =>
        PrimaryElection.IsEnabled(options) ? Elected(options, time) : Fixed(options, time);

    /// <summary>The last state this region applied.</summary>
    public PrimaryState State => Volatile.Read(ref _state);

    /// <summary>The epoch this region knows.</summary>
    public long Epoch => State.Epoch;

    /// <summary>Whether this region may still acknowledge a strong write admitted under <paramref name="epoch"/> (checked after it is stored).</summary>
    public bool StillAccepts(long epoch, out string reason)
    {
        if (!CanAcceptStrongWrites(out var current, out reason))
        {
            return false;
        }

        if (current != epoch)
        {
            reason = $"epoch {epoch} ended while the write was being stored";
            return false;
        }

        return true;
    }

    /// <summary>Whether this region is the primary of the current epoch (it may still be fenced; see <see cref="CanAcceptStrongWrites(out string)"/>).</summary>
    public bool IsCurrentRegionPrimary => State.Primary == _currentRegion;

    /// <summary>
    /// True only while this region is the committed primary of the current epoch, has finished taking over, and confirmed with a
    /// majority recently enough (the fence). Otherwise <paramref name="reason"/> says why not.
    /// </summary>
    public bool CanAcceptStrongWrites(out string reason) => CanAcceptStrongWrites(out _, out reason);

    /// <summary>As <see cref="CanAcceptStrongWrites(out string)"/>, also giving the epoch the answer holds for.</summary>
    public bool CanAcceptStrongWrites(out long epoch, out string reason)
    {
        var state = State;
        epoch = state.Epoch;
        if (!state.HasPrimary)
        {
            reason = "the regions have not elected a primary yet";
            return false;
        }

        if (state.Primary != _currentRegion)
        {
            reason = $"{_currentRegion} is not the primary of epoch {state.Epoch} ({state.Primary} is)";
            return false;
        }

        if (Interlocked.Read(ref _readyEpoch) != state.Epoch)
        {
            reason = $"{_currentRegion} is taking over as primary of epoch {state.Epoch} and catching up";
            return false;
        }

        if (_time.GetTimestamp() >= Interlocked.Read(ref _fencedUntil))
        {
            reason = _refusal.Length > 0 ? _refusal : $"{_currentRegion} has lost contact with the majority of regions";
            return false;
        }

        reason = "";
        return true;
    }

    /// <summary>
    /// Takes <paramref name="state"/> unless a newer epoch is already known (callers on several threads may race); false when it
    /// was older and ignored.
    /// </summary>
    internal bool Update(PrimaryState state)
    {
        PrimaryState current;
        do
        {
            current = Volatile.Read(ref _state);
            if (state.Epoch < current.Epoch)
            {
                return false;
            }
        }
        while (!ReferenceEquals(Interlocked.CompareExchange(ref _state, state, current), current));
        return true;
    }

    /// <summary>Until when strong writes are allowed (a <see cref="TimeProvider.GetTimestamp"/> value; 0 when fenced).</summary>
    internal long ConfirmedUntil => Interlocked.Read(ref _fencedUntil);

    /// <summary>Allows strong writes until <paramref name="untilTimestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    internal void ConfirmUntil(long untilTimestamp)
    {
        // Should this lease simply run out, the reason is lost contact, not whatever fenced the region before.
        _refusal = "";
        long current;
        do
        {
            current = Interlocked.Read(ref _fencedUntil);
            if (current >= untilTimestamp)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _fencedUntil, untilTimestamp, current) != current);
    }

    /// <summary>Stops strong writes now, with the reason callers are given.</summary>
    internal void Fence(string reason)
    {
        _refusal = reason;
        Interlocked.Exchange(ref _fencedUntil, 0);
    }

    internal void MarkReady(long epoch) => Interlocked.Exchange(ref _readyEpoch, epoch);
}
