using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Patroni;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Failover;

/// <summary>
/// How a region follows Patroni's answers (<c>GET /cluster</c>, and a leader's own <c>GET /patroni</c>) over real HTTP, for the
/// orders of events a real cluster produces too rarely to test on one: the end-to-end behaviour is PostgresUpTests'.
/// </summary>
public sealed class PatroniPrimaryTests : IAsyncLifetime
{
    private static readonly RegionOptions Options = new()
    {
        Enabled = true,
        CurrentRegion = "eu-west-1",
        Regions = ["us-east-1", "eu-west-1", "ap-south-1"],
    };

    private readonly FakeTimeProvider _time = new();
    private readonly HttpClient _http = new();
    private LoopbackServer _patroni = null!;
    private volatile string _leader = "";
    private volatile int _timeline;
    private readonly Dictionary<string, (string Role, int Timeline)> _own = [];

    public async Task InitializeAsync() =>
        _patroni = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/cluster", () => Results.Text(Cluster(), "application/json"));
            app.MapGet("/member/{name}/patroni", (string name) =>
            {
                lock (_own)
                {
                    var (role, timeline) = _own[name];
                    return Results.Text(new JsonObject { ["state"] = "running", ["role"] = role, ["timeline"] = timeline }.ToJsonString(), "application/json");
                }
            });
        });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _patroni.DisposeAsync();
    }

    [Fact]
    public async Task ALeaderThatTookTheKeyBackWithoutANewTimeline_IsFollowedOnceItLedForALease_NeverBefore()
    {
        // A whole cluster restarted: us-east-1 held the leader key at first, on the timeline all members share; then eu-west-1,
        // primary on that timeline before the restart, took it back without a promotion.
        var (role, follower) = Follower();
        Lead("us-east-1", 7, ownRole: "replica");
        await follower.ReadOnceAsync(CancellationToken.None);
        Assert.Equal(("us-east-1", 7L), (role.State.Primary, role.State.Epoch));

        Lead("eu-west-1", 7, ownRole: "master");
        await follower.ReadOnceAsync(CancellationToken.None);
        _time.Advance(PatroniPrimary.Lease - TimeSpan.FromMilliseconds(250));
        await follower.ReadOnceAsync(CancellationToken.None);
        Assert.Equal("us-east-1", role.State.Primary);
        Assert.False(role.CanAcceptStrongWrites(out _));

        _time.Advance(TimeSpan.FromMilliseconds(250));
        await follower.ReadOnceAsync(CancellationToken.None);
        Assert.Equal(("eu-west-1", 7L), (role.State.Primary, role.State.Epoch));
        Assert.True(role.CanAcceptStrongWrites(out var reason), reason);
        Assert.Equal(("us-east-1", "eu-west-1", 7L), (role.State.History[^1].From, role.State.History[^1].To, role.State.History[^1].Epoch));
    }

    [Fact]
    public async Task ANewLeaderStillPromoting_IsNotFollowedOnTheOldTimeline_HoweverLongItTakes_ButAtOnceOnItsNewOne()
    {
        var (role, follower) = Follower();
        Lead("us-east-1", 7, ownRole: "master");
        await follower.ReadOnceAsync(CancellationToken.None);

        // eu-west-1 holds the key, its database still in recovery on timeline 7: following it now would make two regions
        // acceptors of epoch 7.
        Lead("eu-west-1", 7, ownRole: "replica");
        for (var i = 0; i < 5; i++)
        {
            await follower.ReadOnceAsync(CancellationToken.None);
            _time.Advance(PatroniPrimary.Lease);
        }

        Assert.Equal(("us-east-1", 7L), (role.State.Primary, role.State.Epoch));
        Assert.False(role.CanAcceptStrongWrites(out _));

        // Promoted: its own Patroni says timeline 8 before /cluster does.
        lock (_own)
        {
            _own["eu-west-1"] = ("master", 8);
        }

        await follower.ReadOnceAsync(CancellationToken.None);
        Assert.Equal(("eu-west-1", 8L), (role.State.Primary, role.State.Epoch));
        Assert.True(role.CanAcceptStrongWrites(out var reason), reason);
    }

    /// <summary>eu-west-1's role and the reader that follows the scripted Patroni for it, before any read.</summary>
    private (PrimaryRole Role, PatroniPrimary Follower) Follower()
    {
        var role = PrimaryRole.Elected(Options, _time);
        return (role, new PatroniPrimary("eu-west-1", _patroni.Address, role, _http, _time, NullLogger<PatroniPrimary>.Instance));
    }

    private void Lead(string leader, int timeline, string ownRole)
    {
        lock (_own)
        {
            _leader = leader;
            _timeline = timeline;
            foreach (var name in Options.Regions)
            {
                _own[name] = name == leader ? (ownRole, timeline) : ("replica", timeline);
            }
        }
    }

    private string Cluster()
    {
        var members = new JsonArray();
        foreach (var (name, i) in Options.Regions.Select((n, i) => (n, i)))
        {
            members.Add(new JsonObject
            {
                ["name"] = name,
                ["role"] = name == _leader ? "leader" : "replica",
                ["state"] = "running",
                ["host"] = "127.0.0.1",
                ["port"] = 5432 + i,
                ["timeline"] = _timeline,
                ["api_url"] = new Uri(_patroni.Address, $"member/{name}/patroni").ToString(),
            });
        }

        return new JsonObject { ["members"] = members }.ToJsonString();
    }
}
