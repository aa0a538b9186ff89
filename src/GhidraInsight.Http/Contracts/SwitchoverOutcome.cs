namespace GhidraInsight.Http.Contracts;

/// <summary>How a switchover ended.</summary>
public enum SwitchoverOutcome
{
    /// <summary>The target is primary and accepts strong writes.</summary>
    Done,

    /// <summary>The target already was the primary; nothing changed.</summary>
    AlreadyPrimary,

    /// <summary>The target is not one of <c>regions</c> (a witness cannot be primary).</summary>
    UnknownRegion,

    /// <summary>No Raft leader is known (no majority of regions is reachable); nothing changed.</summary>
    NoLeader,

    /// <summary>The target did not answer; nothing changed.</summary>
    TargetUnreachable,

    /// <summary>The target did not catch up (nothing changed) or did not start accepting writes in time.</summary>
    TimedOut,

    /// <summary>Another change of primary won the race; the state says who is primary now.</summary>
    Superseded,
}
