using System.Collections.Concurrent;
using System.Diagnostics;
using GhidraInsight.Storage.Tests.Support;
using Xunit.Abstractions;

namespace GhidraInsight.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL store on a real Patroni cluster (three members over a three-member etcd, synchronous mode): it follows a
/// failover by itself, and no write it acknowledged is lost.
/// </summary>
public sealed class PatroniFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheLeaderKilledMidWrites_WritesResumeAtTheNewPrimary_AndNoAcknowledgedWriteIsLost()
    {
        await using var on = await StoreOnPatroni.StartAsync(seed: 1, TimeSpan.FromSeconds(60));
        var (cluster, leader, store, analysis) = (on.Cluster, on.Leader, on.Store, on.Analysis);

        var acknowledged = new ConcurrentDictionary<ulong, TimeSpan>();
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
        var lost = NotIn(cluster.Psql(successor, "ghidrainsight", "SELECT address FROM annotations;"), acknowledged);
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are not on {successor}: {string.Join(',', lost.Take(20))}");
    }

    [Fact]
    public async Task ThePrimaryDatabaseFrozenBySigstop_IsReplaced_WritesResume_AndThawedItDoesNotLeadAgain()
    {
        // A frozen host accepts connections and never answers: each look at it (every host recheck) costs a connect timeout.
        await using var on = await StoreOnPatroni.StartAsync(seed: 2, TimeSpan.FromSeconds(90),
            connection => connection.Replace("Timeout=3", "Timeout=1", StringComparison.Ordinal) + ";Command Timeout=5");
        var (cluster, leader, store, analysis) = (on.Cluster, on.Leader, on.Store, on.Analysis);
        var acknowledged = new ConcurrentDictionary<ulong, TimeSpan>();
        using var stop = new CancellationTokenSource();
        var writer = WriteContinuouslyAsync(store, analysis.Id, acknowledged, stop.Token);
        await Task.Delay(1000);

        var frozen = cluster.Freeze(leader);
        var clock = Stopwatch.StartNew();
        var successor = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(90), except: leader);
        output.WriteLine($"{leader} frozen; {successor} leads after {clock.Elapsed.TotalSeconds:0.0} s");
        var atFailover = acknowledged.Count;
        clock.Restart();
        while (acknowledged.Count < atFailover + 50 && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(100);
        }

        output.WriteLine($"{acknowledged.Count - atFailover} writes acknowledged {clock.Elapsed.TotalSeconds:0.0} s after that");

        PatroniCluster.Thaw(frozen);
        // Thawed, the old primary finds it lost the leader key; give Patroni a few loops to act on that.
        await Task.Delay(TimeSpan.FromSeconds(5 * PatroniCluster.LoopWait));
        await stop.CancelAsync();
        await writer;

        Assert.True(acknowledged.Count >= atFailover + 50, $"writes did not resume at {successor}: {acknowledged.Count - atFailover} after the failover");
        // Once a write found the new primary the next ones go there: the frozen host, which costs a connect timeout (1 s) each
        // time it is looked at, is not looked at for every write (it was, when it was listed first: 50 writes took 51 s).
        var slow = acknowledged.Where(a => a.Key > (ulong)atFailover + 1 && a.Key <= (ulong)atFailover + 50 && a.Value >= TimeSpan.FromSeconds(1)).Count();
        Assert.True(slow <= 5, $"{slow} of the 49 writes after the first at {successor} took a connect timeout or longer");
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
        var lost = NotIn(rows, acknowledged);
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are not on the primary: {string.Join(',', lost.Take(20))}");
        // Thawed, the old primary does not make a second leader: never two primaries.
        var members = (await cluster.ClusterAsync())?["members"]?.AsArray() ?? [];
        Assert.True(members.Count(m => (string?)m?["role"] == "leader") <= 1, members.ToJsonString());
    }

    /// <summary>The acknowledged addresses missing from <paramref name="rows"/> (psql's annotation addresses, stored top bit flipped).</summary>
    private static List<ulong> NotIn(string rows, ConcurrentDictionary<ulong, TimeSpan> acknowledged)
    {
        var stored = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(text => unchecked((ulong)long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) ^ 0x8000_0000_0000_0000UL))
            .ToHashSet();
        return [.. acknowledged.Keys.Where(a => !stored.Contains(a)).Order()];
    }

    /// <summary>
    /// A three-member Patroni cluster in synchronous mode with the <c>ghidrainsight</c> database, a store on it (connection
    /// string adjusted by the caller), and one analysis stored; disposed, everything goes.
    /// </summary>
    private sealed class StoreOnPatroni : IAsyncDisposable
    {
        private readonly TempFolder _folder;

        private StoreOnPatroni(PatroniCluster cluster, string leader, TempFolder folder, PostgresStorage store, NewAnalysis analysis)
        {
            (Cluster, Leader, _folder, Store, Analysis) = (cluster, leader, folder, store, analysis);
        }

        public PatroniCluster Cluster { get; }

        public string Leader { get; }

        public PostgresStorage Store { get; }

        public NewAnalysis Analysis { get; }

        public static async Task<StoreOnPatroni> StartAsync(int seed, TimeSpan writeDeadline, Func<string, string>? connection = null)
        {
            var cluster = await PatroniCluster.StartAsync(["us-east-1", "eu-west-1", "ap-south-1"], synchronous: true, TimeSpan.FromSeconds(120));
            var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
            cluster.Psql(leader, "postgres", "CREATE DATABASE ghidrainsight;");
            var folder = new TempFolder("gi-patroni-store-");
            // The leader listed first: the store looks at the hosts in their order, so the one that fails is the first it meets.
            var listed = cluster.ConnectionString("ghidrainsight", first: leader);
            var store = PostgresStorage.Open(new PostgresStoreOptions
            {
                ConnectionString = connection?.Invoke(listed) ?? listed,
                Password = cluster.Password,
                DataDirectory = folder.Path,
                WriteDeadline = writeDeadline,
            });
            var on = new StoreOnPatroni(cluster, leader, folder, store, Samples.Analysis(seed));
            try
            {
                await store.InitializeAsync();
                await store.Analyses.SaveAnalysisAsync(on.Analysis, epoch: 1);
                return on;
            }
            catch
            {
                await on.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            Cluster.Dispose();
            _folder.Dispose();
        }
    }

    /// <summary>Creates one annotation after another until stopped, recording each acknowledged address and how long it took.</summary>
    private static Task WriteContinuouslyAsync(IRegionStore store, string analysisId, ConcurrentDictionary<ulong, TimeSpan> acknowledged, CancellationToken stop) =>
        Task.Run(async () =>
        {
            for (ulong address = 1; !stop.IsCancellationRequested; address++)
            {
                var took = Stopwatch.StartNew();
                var write = await store.Analyses.PutAnnotationAsync(analysisId, address, Samples.Input($"f{address}"), 0, epoch: 1);
                Assert.Equal(AnnotationWriteStatus.Created, write.Status);
                acknowledged[address] = took.Elapsed;
            }
        }, CancellationToken.None);
}
