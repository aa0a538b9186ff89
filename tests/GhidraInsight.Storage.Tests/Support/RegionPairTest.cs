using System.Globalization;

namespace GhidraInsight.Storage.Tests.Support;

/// <summary>
/// Two regions, each a real store in its own folder: "us-east-1" writes, "eu-west-1" applies what it replicates.
/// Further regions can be started for multi-origin scenarios; all are disposed with the test.
/// </summary>
public abstract class RegionPairTest<TProvider> : IAsyncLifetime
    where TProvider : IStoreProvider, new()
{
    public const string OriginRegion = "us-east-1";
    public const string ReplicaRegion = "eu-west-1";

    private readonly List<StoreHarness> _harnesses = [];

    internal StoreHarness Origin => _harnesses.Count > 0 ? _harnesses[0] : throw new InvalidOperationException("Regions start in InitializeAsync.");

    internal StoreHarness Replica => _harnesses.Count > 1 ? _harnesses[1] : throw new InvalidOperationException("Regions start in InitializeAsync.");

    public async Task InitializeAsync()
    {
        await StartRegionAsync();
        await StartRegionAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            await harness.DisposeAsync();
        }
    }

    internal async Task<StoreHarness> StartRegionAsync()
    {
        var harness = await StoreHarness.StartAsync(new TProvider());
        _harnesses.Add(harness);
        return harness;
    }

    /// <summary>Applies the origin's whole outbox to the replica, as the replicator would.</summary>
    internal async Task<ReplicationApply> ShipAsync() =>
        await Replica.Store.ApplyReplicatedAsync(OriginRegion, await Origin.ReadWholeOutboxAsync());

    /// <summary>Every analysis (binary flag cleared: binaries stay in their region) and annotation, as comparable text.</summary>
    internal static async Task<IReadOnlyList<string>> SnapshotAsync(TestStore store)
    {
        var lines = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await store.ListAnalysesAsync(100, after);
            if (page.Count == 0)
            {
                return lines;
            }

            foreach (var summary in page)
            {
                var analysis = (await store.GetAnalysisAsync(summary.Id))!;
                lines.Add((analysis with { HasBinary = false }).ToString());
                foreach (var a in await store.GetAnnotationsAsync(summary.Id))
                {
                    var lineage = string.Join(',', a.Lineage.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Epoch}/{s.StartsAfterVersion}")));
                    lines.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {a.AnalysisId} 0x{a.Address:x} name={a.Name} comment={a.Comment} tags=[{string.Join(',', a.Tags)}] v{a.Version} e{a.Epoch} base={a.BaseVersion} lineage=[{lineage}] at={a.UpdatedAt.ToUnixTimeMilliseconds()}"));
                }
            }

            after = page[^1].Id;
        }
    }
}
