using System.Text.Json.Nodes;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// <c>GET /api/failovers</c> and the primary in <c>/api/overview</c> on a real Raft group (<see cref="RaftRegions"/>): the first
/// election is not a failover; a manual switchover is, on every region, once committed.
/// </summary>
public sealed class FailoverHistoryTests
{
    [Fact]
    public async Task Failovers_IsEmptyAfterTheFirstElection_AndAfterASwitchoverListsItOnEveryRegion_WithTheNewPrimaryInTheOverview()
    {
        await using var group = await RaftRegions.StartAsync();
        var first = await group.AcceptingPrimaryAsync();
        foreach (var region in group.Regions)
        {
            Assert.Equal("[]", await region.Client.GetStringAsync("api/failovers"));
        }

        var from = first.Options.Region.CurrentRegion;
        var target = group.Regions.First(r => r != first);
        var to = target.Options.Region.CurrentRegion;
        await RaftRegions.SwitchOverAsync(first, target);
        Assert.Same(target, await group.AcceptingPrimaryAsync());

        foreach (var region in group.Regions)
        {
            var change = Assert.Single(await FailoversAsync(region));
            Assert.Equal((from, to, 2L, "manual"), ((string?)change["from"], (string?)change["to"], (long)change["epoch"]!, (string?)change["reason"]));
            Assert.NotNull((string?)change["at"]);
        }

        var overview = JsonNode.Parse(await target.Client.GetStringAsync("api/overview"))!;
        Assert.Equal((to, to, 2L), ((string?)overview["served_by"], (string?)overview["primary"], (long)overview["epoch"]!));
        var own = overview["regions"]!.AsArray().Single(r => (string?)r!["name"] == to)!;
        Assert.Equal(("primary", 2L, true), ((string?)own["role"], (long?)own["epoch"], (bool?)own["accepting_strong_writes"]));
        Assert.Equal(RaftRegions.Names.Where(n => n != to).Order(), own["replication"]!.AsObject().Select(t => t.Key).Order());
        Assert.All(overview["regions"]!.AsArray().Where(r => (string?)r!["name"] != to), peer => Assert.Null(peer!["epoch"]));
    }

    /// <summary>The region's failover history, once it holds one (a follower applies the committed change shortly after the leader).</summary>
    private static async Task<List<JsonNode>> FailoversAsync(TestRegion region)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var history = JsonNode.Parse(await region.Client.GetStringAsync("api/failovers"))!.AsArray().Select(e => e!).ToList();
            if (history.Count > 0 || DateTime.UtcNow > until)
            {
                return history;
            }

            await Task.Delay(50);
        }
    }
}
