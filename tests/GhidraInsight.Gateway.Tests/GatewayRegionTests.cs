using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Gateway.Tests;

/// <summary>One region's place in rotation: in on its first good probe, out at once, back after consecutive good probes.</summary>
public sealed class GatewayRegionTests
{
    private static readonly HealthReport Report = new(HealthReport.Healthy, "a", 1, "primary", "a", 1, true, "a", new Dictionary<string, ReplicationHealth>());

    [Fact]
    public void TheFirstGoodProbe_BringsARegionIn()
    {
        var region = new GatewayRegion("a", new Uri("http://127.0.0.1:1"));
        Assert.False(region.Snapshot().Healthy);
        Assert.Equal("not probed yet", region.Snapshot().WhyOut);

        Assert.True(region.ProbeSucceeded(Report, 3, DateTimeOffset.UnixEpoch, successThreshold: 3));

        Assert.True(region.Snapshot().Healthy);
    }

    [Fact]
    public void ARegionTakenOut_ComesBackOnlyAfterThresholdGoodProbesInARow()
    {
        var region = new GatewayRegion("a", new Uri("http://127.0.0.1:1"));
        region.ProbeSucceeded(Report, 3, DateTimeOffset.UnixEpoch, 3);
        Assert.True(region.TakeOut("connection refused"));
        Assert.False(region.TakeOut("again"));

        Assert.False(region.ProbeSucceeded(Report, 3, DateTimeOffset.UnixEpoch, 3));
        Assert.False(region.ProbeSucceeded(Report, 3, DateTimeOffset.UnixEpoch, 3));
        region.TakeOut("flapped");
        Assert.False(region.ProbeSucceeded(Report, 3, DateTimeOffset.UnixEpoch, 3));
        Assert.False(region.ProbeSucceeded(Report, 3, DateTimeOffset.UnixEpoch, 3));
        Assert.False(region.Snapshot().Healthy);
        Assert.Equal("flapped", region.Snapshot().WhyOut);

        Assert.True(region.ProbeSucceeded(Report, 3, DateTimeOffset.UnixEpoch, 3));
        Assert.True(region.Snapshot().Healthy);
        Assert.Null(region.Snapshot().WhyOut);
    }

    [Fact]
    public void Latency_IsSmoothedOverProbesAndReads()
    {
        var region = new GatewayRegion("a", new Uri("http://127.0.0.1:1"));
        region.ProbeSucceeded(Report, 10, DateTimeOffset.UnixEpoch, 2);
        region.RequestAnswered(110);

        var snapshot = region.Snapshot();
        Assert.Equal(10, snapshot.LatencyMs);
        Assert.Equal(40, snapshot.SmoothedLatencyMs!.Value, precision: 6);
    }
}
