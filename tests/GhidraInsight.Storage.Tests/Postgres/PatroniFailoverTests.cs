using System.Collections.Concurrent;
using System.Diagnostics;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL store on a real Patroni cluster (three members over a three-member etcd, synchronous mode): it follows a
/// failover by itself, and no write it acknowledged is lost.
/// </summary>
public sealed class PatroniFailoverTests
{
    [Fact]
    public async Task TheLeaderKilledMidWrites_WritesResumeAtTheNewPrimary_AndNoAcknowledgedWriteIsLost()
    {
        using var cluster = await PatroniCluster.StartAsync(["us-east-1", "eu-west-1", "ap-south-1"], synchronous: true, TimeSpan.FromSeconds(120));
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        cluster.Psql(leader, "postgres", "CREATE DATABASE ghidrainsight;");
        var folder = Directory.CreateTempSubdirectory("gi-patroni-store-").FullName;
        await using var store = PostgresStorage.Open(new PostgresStoreOptions
        {
            ConnectionString = cluster.ConnectionString("ghidrainsight"),
            Password = cluster.Password,
            DataDirectory = folder,
            WriteDeadline = TimeSpan.FromSeconds(60),
        });
        await store.InitializeAsync();
        var analysis = Samples.Analysis(1);
        await store.Analyses.SaveAnalysisAsync(analysis, epoch: 1);

        var acknowledged = new ConcurrentBag<ulong>();
        using var stop = new CancellationTokenSource();
        var writer = WriteContinuouslyAsync(store, analysis.Id, acknowledged, stop.Token);
        await Task.Delay(1000);
        var beforeKill = acknowledged.Count;

        cluster.Kill(leader);
        var killed = Stopwatch.StartNew();
        var successor = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60), except: leader);
        while (acknowledged.Count < beforeKill + 50 && killed.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await writer;

        // Every acknowledged write is on the new primary (read there: the other survivor may still be catching up).
        Assert.NotEqual(leader, successor);
        Assert.True(acknowledged.Count >= beforeKill + 50, $"writes did not resume: {acknowledged.Count - beforeKill} after the kill");
        Assert.Equal("f", cluster.Psql(successor, "ghidrainsight", "SELECT pg_is_in_recovery();"));
        var onPrimary = cluster.Psql(successor, "ghidrainsight", "SELECT address FROM annotations;")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(text => unchecked((ulong)long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) ^ 0x8000_0000_0000_0000UL))
            .ToHashSet();
        var lost = acknowledged.Where(a => !onPrimary.Contains(a)).Order().ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are not on {successor}: {string.Join(',', lost.Take(20))}");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ThePrimaryDatabaseFrozenBySigstop_IsReplaced_WritesResume_AndThawedItDoesNotLeadAgain()
    {
        using var cluster = await PatroniCluster.StartAsync(["us-east-1", "eu-west-1", "ap-south-1"], synchronous: true, TimeSpan.FromSeconds(120));
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        cluster.Psql(leader, "postgres", "CREATE DATABASE ghidrainsight;");
        var folder = Directory.CreateTempSubdirectory("gi-patroni-stop-").FullName;
        await using var store = PostgresStorage.Open(new PostgresStoreOptions
        {
            // A frozen host accepts connections and never answers: each look at it (every host recheck) costs a connect timeout.
            ConnectionString = cluster.ConnectionString("ghidrainsight").Replace("Timeout=3", "Timeout=1", StringComparison.Ordinal) + ";Command Timeout=5",
            Password = cluster.Password,
            DataDirectory = folder,
            WriteDeadline = TimeSpan.FromSeconds(90),
        });
        await store.InitializeAsync();
        var analysis = Samples.Analysis(2);
        await store.Analyses.SaveAnalysisAsync(analysis, epoch: 1);
        var acknowledged = new ConcurrentBag<ulong>();
        using var stop = new CancellationTokenSource();
        var writer = WriteContinuouslyAsync(store, analysis.Id, acknowledged, stop.Token);
        await Task.Delay(1000);

        var frozen = cluster.Freeze(leader);
        var successor = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(90), except: leader);
        var atFailover = acknowledged.Count;
        var clock = Stopwatch.StartNew();
        while (acknowledged.Count < atFailover + 50 && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(100);
        }

        PatroniCluster.Thaw(frozen);
        // Thawed, the old primary finds it lost the leader key; give Patroni a few loops to act on that.
        await Task.Delay(TimeSpan.FromSeconds(5 * PatroniCluster.LoopWait));
        await stop.CancelAsync();
        await writer;

        Assert.True(acknowledged.Count >= atFailover + 50, $"writes did not resume at {successor}: {acknowledged.Count - atFailover} after the failover");
        // Read on whichever member leads now (on a loaded machine Patroni may have moved the leader again meanwhile).
        string? rows = null;
        var reading = Stopwatch.StartNew();
        while (rows is null && reading.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                rows = await cluster.LeaderAsync() is { Leader: { } now } ? cluster.Psql(now, "ghidrainsight", "SELECT address FROM annotations;") : null;
            }
            catch (InvalidOperationException)
            {
            }

            await Task.Delay(rows is null ? 500 : 0);
        }

        Assert.NotNull(rows);
        var onPrimary = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(text => unchecked((ulong)long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) ^ 0x8000_0000_0000_0000UL))
            .ToHashSet();
        var lost = acknowledged.Where(a => !onPrimary.Contains(a)).Order().ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are not on the primary: {string.Join(',', lost.Take(20))}");
        // Thawed, the old primary does not make a second leader: never two primaries.
        var members = (await cluster.ClusterAsync())?["members"]?.AsArray() ?? [];
        Assert.True(members.Count(m => (string?)m?["role"] == "leader") <= 1, members.ToJsonString());
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Creates one annotation after another until stopped, recording each acknowledged address.</summary>
    private static Task WriteContinuouslyAsync(IRegionStore store, string analysisId, ConcurrentBag<ulong> acknowledged, CancellationToken stop) =>
        Task.Run(async () =>
        {
            for (ulong address = 1; !stop.IsCancellationRequested; address++)
            {
                var write = await store.Analyses.PutAnnotationAsync(analysisId, address, Samples.Input($"f{address}"), 0, epoch: 1);
                Assert.Equal(AnnotationWriteStatus.Created, write.Status);
                acknowledged.Add(address);
            }
        }, CancellationToken.None);
}
