using System.Net;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Regions.Fencing;

namespace GhidraInsight.Regions.Patroni;

/// <summary>
/// Manual failover in PostgreSQL mode (<c>POST /api/failover</c>, <c>ghidrainsight failover --to</c>): a Patroni switchover to the
/// target region's member through this region's Patroni REST API (<c>POST /switchover</c>; Patroni waits for the candidate to
/// catch up, and refuses an unhealthy one), then a wait until this region sees the target lead, within
/// <c>region.switchover_timeout_seconds</c>. The answers are the embedded mode's.
/// </summary>
public sealed class PatroniSwitchover
{
    private readonly RegionOptions _region;
    private readonly Uri _patroni;
    private readonly PrimaryRole _role;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly PatroniPrimary _follower;

    internal PatroniSwitchover(RegionOptions region, Uri patroni, PrimaryRole role, PatroniPrimary follower, HttpClient http, TimeProvider time)
    {
        _follower = follower;
        _region = region;
        _patroni = patroni;
        _role = role;
        _http = http;
        _time = time;
    }

    public async Task<SwitchoverResult> SwitchoverAsync(string to, CancellationToken cancellationToken = default) =>
        await SwitchoverAsync(to, Failover.FailoverReasons.Manual, cancellationToken).ConfigureAwait(false);

    /// <summary>As <see cref="SwitchoverAsync(string, CancellationToken)"/>, recording <paramref name="reason"/> (manual or config).</summary>
    internal async Task<SwitchoverResult> SwitchoverAsync(string to, string reason, CancellationToken cancellationToken)
    {
        var state = _role.State;
        if (!_region.Regions.Contains(to))
        {
            return Result(SwitchoverOutcome.UnknownRegion, $"'{to}' is not one of region.regions ({string.Join(", ", _region.Regions)}).");
        }

        if (!state.HasPrimary)
        {
            return Result(SwitchoverOutcome.NoLeader, "Patroni has not named a leader yet. Nothing changed.");
        }

        if (state.Primary == to)
        {
            return Result(SwitchoverOutcome.AlreadyPrimary, $"{to} already is the primary of epoch {state.Epoch} (PostgreSQL timeline).");
        }

        var timeout = TimeSpan.FromSeconds(_region.SwitchoverTimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        _follower.ExpectSwitchover(to, reason);
        try
        {
            // Patroni wants a Content-Length (no chunked body).
            using var body = new StringContent(new JsonObject { ["leader"] = state.Primary, ["candidate"] = to }.ToJsonString(), System.Text.Encoding.UTF8,
                "application/json");
            using var response = await _http.PostAsync(new Uri(_patroni, "switchover"), body, deadline.Token).ConfigureAwait(false);
            var said = OneLine(await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false));
            if (!response.IsSuccessStatusCode)
            {
                // 412: Patroni refused (the candidate is not a healthy replica, or the leader changed meanwhile); 503: it failed.
                return Result(response.StatusCode == HttpStatusCode.PreconditionFailed ? SwitchoverOutcome.TargetUnreachable : SwitchoverOutcome.Superseded,
                    $"Patroni refused the switchover from {state.Primary} to {to}: {said} Nothing changed.");
            }

            // Done once the target leads on a newer timeline (its promotion finished), and here accepts strong writes if it is this region.
            while (_role.State is var now && (now.Primary != to || now.Epoch <= state.Epoch || (to == _region.CurrentRegion && !_role.CanAcceptStrongWrites(out _))))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, deadline.Token).ConfigureAwait(false);
            }

            var done = _role.State;
            return new SwitchoverResult(SwitchoverOutcome.Done, $"Patroni switched over to {to} ({said}); it is the primary of epoch {done.Epoch}.", done.Primary, done.Epoch);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(SwitchoverOutcome.TimedOut, $"Patroni did not finish the switchover to {to} within {timeout.TotalSeconds:0} s; it may still take effect. "
                + "Check `ghidrainsight regions` before trying again.");
        }
        catch (HttpRequestException exception)
        {
            return Result(SwitchoverOutcome.TargetUnreachable, $"This region's Patroni ({_patroni}) cannot be reached: {exception.Message}. Nothing changed.");
        }
    }

    /// <summary>Whether this region knows who Patroni's leader is (it has seen one since it started).</summary>
    internal bool LeaderKnown => _role.State.HasPrimary;

    /// <summary>
    /// A change of primary to <paramref name="to"/> is expected for <paramref name="reason"/> even if another region asks Patroni
    /// for it first (every region acts on a changed <c>primary_region</c>): it is recorded so here too, not as a failover on health.
    /// </summary>
    internal void Expect(string to, string reason) => _follower.ExpectSwitchover(to, reason);

    /// <summary>Patroni's answer on one short line.</summary>
    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        line = line.Length <= 200 ? line : line[..200] + "…";
        return line.EndsWith('.') ? line : line + ".";
    }

    private SwitchoverResult Result(SwitchoverOutcome outcome, string detail) => new(outcome, detail, _role.State.Primary, _role.State.Epoch);
}
