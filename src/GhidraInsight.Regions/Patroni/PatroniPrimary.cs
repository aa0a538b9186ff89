using System.Text.Json;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Patroni;

/// <summary>
/// Who is primary in PostgreSQL mode: Patroni decides, and this region follows. Four times a second it reads its own Patroni's
/// view of the cluster (<c>GET /cluster</c>): the member that holds the leader key and runs is the primary region (member names
/// are region names), and its PostgreSQL timeline is the epoch. A new leader or timeline is a failover, kept in the history.
/// This region accepts strong writes only while its own database leads, confirmed at the last read: when Patroni cannot be
/// read for <see cref="Lease"/>, the region stops accepting them (and Patroni demotes its database anyway).
/// </summary>
internal sealed class PatroniPrimary(string currentRegion, Uri patroni, PrimaryRole role, HttpClient http, TimeProvider time, ILogger<PatroniPrimary> logger,
    IDatabasePrimary? database = null)
    : BackgroundService
{
    /// <summary>How often Patroni is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one confirmation lets this region accept strong writes.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    private bool _unreadable;
    private bool _leaderless;
    private volatile Tuple<string, string>? _switching;
    private (string Name, long Since)? _steadyLeader;

    /// <summary>
    /// A switchover to <paramref name="to"/> was asked for (<paramref name="reason"/>: manual, or config for a changed
    /// <c>primary_region</c>): the change it brings is recorded so, not as a failover on health.
    /// </summary>
    internal void ExpectSwitchover(string to, string reason) => _switching = Tuple.Create(to, reason);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await ReadOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Reads Patroni once and applies what it says.</summary>
    internal async Task ReadOnceAsync(CancellationToken cancellationToken)
    {
        PatroniLeader? leader;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Lease);
            await using var body = await http.GetStreamAsync(new Uri(patroni, "cluster"), timeout.Token).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
            leader = Leader(document.RootElement);
        }
        catch (Exception exception) when (Unanswered(exception, cancellationToken))
        {
            if (!_unreadable)
            {
                _unreadable = true;
                Log.PatroniUnreadable(logger, patroni.ToString(), exception.Message);
            }

            return;
        }

        if (_unreadable)
        {
            _unreadable = false;
            Log.PatroniReadable(logger, patroni.ToString());
        }

        if (leader is not { } found)
        {
            if (!_leaderless)
            {
                _leaderless = true;
                Log.PatroniNoLeader(logger);
            }

            role.Fence("Patroni reports no leader: the database is failing over");
            database?.Use(null, 0);
            return;
        }

        _leaderless = false;
        var current = role.State;
        var sameEpochLeader = false;
        if (found.Name != current.Primary && current.HasPrimary && found.Timeline <= current.Epoch && found.ApiUrl is { } api)
        {
            // /cluster shows a member's timeline as of its last loop: the new leader's own Patroni knows it as soon as the
            // promotion finished, which saves up to a loop_wait of unavailable strong writes.
            var (primaryNow, timelineNow) = await LiveStatusAsync(api, cancellationToken).ConfigureAwait(false);
            found = found with { Timeline = Math.Max(found.Timeline, timelineNow) };
            // A leader that runs as primary on the very timeline this region knows, without a promotion: a member that kept or
            // took back the leader key with its database already primary (a whole cluster restarted, the old leader first
            // again). Followed only once it has led for a whole lease, by which time the region named before has stopped
            // confirming its role (it confirms only while its own Patroni names it): otherwise no region would ever accept
            // strong writes, and no switchover could be asked for (Patroni refuses one naming a leader that is not).
            sameEpochLeader = primaryNow && found.Timeline == current.Epoch;
        }

        if (!sameEpochLeader)
        {
            _steadyLeader = null;
        }
        else if (_steadyLeader is not { } steady || steady.Name != found.Name)
        {
            _steadyLeader = (found.Name, time.GetTimestamp());
        }

        var (name, timeline, host, port, _) = found;
        // The store writes straight to the leader's database, rather than looking for it among every listed host.
        database?.Use(host, port);
        var accepting = role.CanAcceptStrongWrites(out _);
        if (name == currentRegion && timeline >= current.Epoch)
        {
            // Ready and confirmed before the state below names this region, so no reader sees it primary yet not accepting.
            role.MarkReady(timeline);
            role.ConfirmUntil(time.GetTimestamp() + (long)(Lease.TotalSeconds * time.TimestampFrequency));
        }

        // A new leader counts once its promotion finished, on a newer timeline: before that it still shows the old one, and
        // accepting strong writes then would make two regions acceptors of one epoch.
        var ledForALease = sameEpochLeader && _steadyLeader is { } since && time.GetElapsedTime(since.Since) >= Lease;
        if (current.Primary != name && (timeline > current.Epoch || !current.HasPrimary || ledForALease))
        {
            // The first leader seen is where the deployment starts, not a failover.
            var reason = _switching is { } switching && switching.Item1 == name ? switching.Item2 : FailoverReasons.Health;
            IReadOnlyList<FailoverRecord> history = current.HasPrimary
                ? [.. current.History, new FailoverRecord(time.GetUtcNow(), current.Primary, name, timeline, reason)]
                : current.History;
            if (role.Update(new PrimaryState(name, timeline, history)) && current.HasPrimary)
            {
                Log.PrimaryChanged(logger, current.Primary, name, timeline, reason);
            }
        }
        else if (current.Primary == name && timeline > current.Epoch)
        {
            // The leader's timeline grew while it kept the lead (promoted again after a restart): no new change of primary, so
            // the record of the change that made it primary takes the new epoch rather than a second record being added.
            IReadOnlyList<FailoverRecord> history = current.History is [.., var last] && last.To == name
                ? [.. current.History.Take(current.History.Count - 1), last with { Epoch = timeline }]
                : current.History;
            role.Update(new PrimaryState(name, timeline, history));
        }

        if (!accepting && role.CanAcceptStrongWrites(out _))
        {
            Log.AcceptingStrongWrites(logger, currentRegion, timeline);
        }
    }

    /// <summary>
    /// What a leader's own Patroni says of its database (<c>GET /patroni</c>): whether it runs as primary, and on which timeline
    /// (0 when it is not a running primary, or cannot say within a second).
    /// </summary>
    private async Task<(bool RunningPrimary, long Timeline)> LiveStatusAsync(Uri api, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await using var body = await http.GetStreamAsync(api, timeout.Token).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
            var status = document.RootElement;
            return status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("role", out var role) && role.GetString() is "master" or "primary"
                && status.TryGetProperty("state", out var state) && state.GetString() == "running"
                && status.TryGetProperty("timeline", out var line) && line.TryGetInt64(out var timeline)
                ? (true, timeline)
                : (false, 0);
        }
        catch (Exception exception) when (Unanswered(exception, cancellationToken))
        {
            return (false, 0);
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> means Patroni's REST API gave no usable answer (unreachable, timed out, malformed),
    /// rather than that <paramref name="stopping"/> ended the wait.
    /// </summary>
    internal static bool Unanswered(Exception exception, CancellationToken stopping) =>
        exception is HttpRequestException or JsonException or InvalidOperationException
        || (exception is OperationCanceledException && !stopping.IsCancellationRequested);

    /// <summary>The running leader of Patroni's <c>/cluster</c> answer, its timeline and its database's address; null when none runs.</summary>
    internal static PatroniLeader? Leader(JsonElement cluster)
    {
        if (!cluster.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException("Patroni's /cluster answer has no members list");
        }

        foreach (var member in members.EnumerateArray())
        {
            if (member.TryGetProperty("role", out var role) && role.GetString() is "leader" or "master"
                && member.TryGetProperty("state", out var state) && state.GetString() == "running"
                && member.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } leader)
            {
                var timeline = member.TryGetProperty("timeline", out var line) && line.TryGetInt64(out var value) ? value : 1;
                var host = member.TryGetProperty("host", out var address) && address.ValueKind == JsonValueKind.String ? address.GetString() : null;
                var port = member.TryGetProperty("port", out var number) && number.TryGetInt32(out var given) ? given : 5432;
                var api = member.TryGetProperty("api_url", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var parsed) ? parsed : null;
                return new PatroniLeader(leader, timeline, host, port, api);
            }
        }

        return null;
    }
}

/// <summary>Patroni's leader: its member name (the region), its PostgreSQL timeline, and where its database listens.</summary>
internal sealed record PatroniLeader(string Name, long Timeline, string? Host, int Port, Uri? ApiUrl);
