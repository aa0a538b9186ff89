using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions;

/// <summary>The regions project's log messages, with stable event ids (1000 range).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Region {Region} is down after {Failures} failed health checks: {Error}")]
    public static partial void RegionDown(ILogger logger, string region, int failures, string? error);

    [LoggerMessage(1002, LogLevel.Information, "Region {Region} is up ({LatencyMs:F1} ms)")]
    public static partial void RegionUp(ILogger logger, string region, double latencyMs);

    [LoggerMessage(1003, LogLevel.Warning, "Replication to {Target} is failing, retrying with backoff: {Error}")]
    public static partial void ReplicationFailing(ILogger logger, string target, string error);

    [LoggerMessage(1004, LogLevel.Information, "Replication to {Target} recovered")]
    public static partial void ReplicationRecovered(ILogger logger, string target);

    [LoggerMessage(1005, LogLevel.Error, "Replication loop to {Target} stopped unexpectedly")]
    public static partial void ReplicationLoopCrashed(ILogger logger, Exception exception, string target);

    [LoggerMessage(1006, LogLevel.Error, "Region health loop stopped unexpectedly")]
    public static partial void HealthLoopCrashed(ILogger logger, Exception exception);

    [LoggerMessage(1010, LogLevel.Warning, "Primary changed: {From} -> {To} (epoch {Epoch}, reason {Reason})")]
    public static partial void PrimaryChanged(ILogger logger, string from, string to, long epoch, string reason);

    [LoggerMessage(1011, LogLevel.Information, "{Region} accepts strong writes as primary of epoch {Epoch}")]
    public static partial void AcceptingStrongWrites(ILogger logger, string region, long epoch);

    [LoggerMessage(1012, LogLevel.Warning, "{From} did not answer how far its outbox goes in time; taking over with {Applied} of {Head} entries applied (the rest arrives when it returns)")]
    public static partial void TakeOverWithoutCatchUp(ILogger logger, string from, long applied, long head);

    [LoggerMessage(1013, LogLevel.Warning, "{Region} cannot confirm its primary role with a majority of regions ({Error}); strong writes are refused")]
    public static partial void MajorityLost(ILogger logger, string region, string error);

    [LoggerMessage(1048, LogLevel.Warning, "{Region}'s primary lease ran out for {GapMs} ms before a confirmation came back (it took {TookMs} ms; the lease is {LeaseMs} ms): strong writes were refused meanwhile (a stalled process or slow links; region.election_timeout_ms sets the lease)")]
    public static partial void LeaseLapsed(ILogger logger, string region, long gapMs, long tookMs, long leaseMs);

    [LoggerMessage(1014, LogLevel.Information, "{Region} confirmed its primary role with a majority of regions again")]
    public static partial void MajorityRegained(ILogger logger, string region);

    [LoggerMessage(1015, LogLevel.Warning, "The primary {Primary} failed its checks but no other region answers; nothing to promote")]
    public static partial void NoRegionToPromote(ILogger logger, string primary);

    [LoggerMessage(1016, LogLevel.Warning, "Proposing {To} as primary did not commit: {Error}")]
    public static partial void ProposalFailed(ILogger logger, string to, string error);

    [LoggerMessage(1017, LogLevel.Warning, "Automatic failover is off: {Voters} voting members cannot fail over safely (a majority of 2 is both); add a witness (region.witness) to have three")]
    public static partial void AutomaticFailoverOff(ILogger logger, int voters);

    [LoggerMessage(1018, LogLevel.Warning, "primary_region changed from {Previous} to {Configured} since the last start; switching over")]
    public static partial void ConfiguredPrimaryChanged(ILogger logger, string previous, string configured);

    [LoggerMessage(1019, LogLevel.Warning, "Switchover to the configured primary {Configured} did not happen yet, retrying: {Detail}")]
    public static partial void ConfigSwitchoverRetrying(ILogger logger, string configured, string detail);

    [LoggerMessage(1020, LogLevel.Error, "Failover {Loop} loop stopped unexpectedly")]
    public static partial void LoopCrashed(ILogger logger, Exception exception, string loop);

    [LoggerMessage(1021, LogLevel.Warning, "Refused an unauthenticated inter-region request to {Path} from {Address}: {Code} ({NotLogged} more refused since the last such line)")]
    public static partial void RegionRequestRefused(ILogger logger, string path, string code, string address, int notLogged);

    [LoggerMessage(1030, LogLevel.Warning, "Replication to {Target} needs entries the outbox no longer holds (its cursor {Cursor}, it applied {Applied}, head {Head}); resyncing it from a snapshot")]
    public static partial void ResyncStarting(ILogger logger, string target, long cursor, long applied, long head);

    [LoggerMessage(1031, LogLevel.Information, "Resynced {Target} from a snapshot of {Entries} entries; streaming resumes after {Head}")]
    public static partial void ResyncDone(ILogger logger, string target, int entries, long head);

    [LoggerMessage(1032, LogLevel.Error, "{Target} has not acknowledged replication for longer than the outbox retention (region.outbox_retention, region.outbox_max_entries): its entries are being pruned. When it returns it is resynced from a full snapshot. Bring it back, or remove it from region.replication_regions if it is gone for good.")]
    public static partial void PastRetention(ILogger logger, string target);

    [LoggerMessage(1033, LogLevel.Information, "{Target} is within the outbox retention again")]
    public static partial void BackWithinRetention(ILogger logger, string target);

    [LoggerMessage(1034, LogLevel.Warning, "Pruning the outbox failed, retrying: {Error}")]
    public static partial void PruneFailed(ILogger logger, string error);

    [LoggerMessage(1040, LogLevel.Warning, "Patroni at {Url} cannot be read ({Error}); this region does not confirm a primary role until it can")]
    public static partial void PatroniUnreadable(ILogger logger, string url, string error);

    [LoggerMessage(1041, LogLevel.Information, "Patroni at {Url} answers again")]
    public static partial void PatroniReadable(ILogger logger, string url);

    [LoggerMessage(1042, LogLevel.Warning, "Patroni reports no leader; strong writes wait for one")]
    public static partial void PatroniNoLeader(ILogger logger);

    [LoggerMessage(1043, LogLevel.Information, "region.replication_mode is {Mode}: Patroni's synchronous_mode set to {Synchronous}")]
    public static partial void PatroniModeApplied(ILogger logger, string mode, bool synchronous);

    [LoggerMessage(1044, LogLevel.Warning, "region.replication_mode is {Mode}, but Patroni at {Url} could not be set to match ({Error}); retrying")]
    public static partial void PatroniModeNotApplied(ILogger logger, string mode, string url, string error);

    [LoggerMessage(1045, LogLevel.Information, "The inter-region secret changed; requests are signed with the new one (previous secret: {Previous})")]
    public static partial void SecretChanged(ILogger logger, string previous);

    [LoggerMessage(1046, LogLevel.Warning, "The reloaded configuration has no inter-region secret; the region keeps the one it has (removing it needs a restart)")]
    public static partial void SecretRemovalIgnored(ILogger logger);

    [LoggerMessage(1047, LogLevel.Warning, "The change of primary to epoch {Epoch} was not recorded in the audit trail: {Reason}")]
    public static partial void PrimaryChangeNotAudited(ILogger logger, long epoch, string reason);
}
