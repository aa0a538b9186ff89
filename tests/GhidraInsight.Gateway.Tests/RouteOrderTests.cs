using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Gateway.Routing;
using GhidraInsight.Http.Contracts;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Gateway.Tests;

/// <summary>Which region a request tries first, and which kind a request is.</summary>
public sealed class RouteOrderTests
{
    [Fact]
    public void Reads_GoToTheLowestSmoothedLatency_ThenConfigurationOrder_AndRegionsOutComeLast()
    {
        var regions = new[] { Region("a", 20), Region("b", 5), Region("c", 5), Region("d", 1, healthy: false) };

        var (order, decision) = RouteOrder.For(RequestKind.Idempotent, hint: null, regions);

        Assert.Equal(["b", "c", "a", "d"], order.Select(r => r.Name));
        Assert.Equal("nearest", decision);
    }

    [Fact]
    public void AHintForAHealthyRegion_ComesFirst_AndForAnUnhealthyOrUnknownOne_IsIgnored()
    {
        var regions = new[] { Region("a", 1), Region("b", 9), Region("c", 2, healthy: false) };

        Assert.Equal(("b", "client_region"), First(RouteOrder.For(RequestKind.Idempotent, "b", regions)));
        Assert.Equal(("a", "nearest"), First(RouteOrder.For(RequestKind.Idempotent, "c", regions)));
        Assert.Equal(("a", "nearest"), First(RouteOrder.For(RequestKind.Idempotent, "mars-1", regions)));
    }

    [Fact]
    public void StrongWrites_TryThePrimaryFirst_AndTheOthersAfter_EvenWithAHint()
    {
        var regions = new[] { Region("a", 1, primary: "c", epoch: 4), Region("b", 2), Region("c", 30, primary: "c", epoch: 4) };

        var (order, decision) = RouteOrder.For(RequestKind.StrongWrite, "b", regions);

        Assert.Equal(["c", "a", "b"], order.Select(r => r.Name));
        Assert.Equal("primary", decision);
    }

    [Fact]
    public void PrimaryOnly_IsThePrimaryAlone_OrNothingWhileItIsOut()
    {
        var regions = new[] { Region("a", 1, primary: "c", epoch: 4), Region("c", 30, primary: "c", epoch: 4) };
        Assert.Equal(["c"], RouteOrder.For(RequestKind.PrimaryOnly, null, regions).Order.Select(r => r.Name));

        var primaryOut = new[] { Region("a", 1, primary: "c", epoch: 4), Region("c", 30, primary: "c", epoch: 4, healthy: false) };
        Assert.Empty(RouteOrder.For(RequestKind.PrimaryOnly, null, primaryOut).Order);
    }

    [Fact]
    public void ThePrimary_IsNamedByTheReportOfTheHighestEpoch()
    {
        var regions = new[] { Region("a", 1, primary: "a", epoch: 3), Region("b", 1, primary: "b", epoch: 5), Region("c", 1, primary: "a", epoch: 3) };

        Assert.Equal(("b", 5L), RegionTable.Primary(regions));
    }

    [Theory]
    [InlineData("GET", "/api/analyses/x", null, "Idempotent")]
    [InlineData("HEAD", "/api/analyses/x", null, "Idempotent")]
    [InlineData("POST", "/api/analyze", null, "Idempotent")]
    [InlineData("GET", "/api/analyses/x", "strong", "PrimaryOnly")]
    [InlineData("POST", "/api/analyze", "Strong", "PrimaryOnly")]
    [InlineData("GET", "/api/analyses/x", "eventual", "Idempotent")]
    [InlineData("PUT", "/api/analyses/x/annotations/0x10", null, "StrongWrite")]
    [InlineData("DELETE", "/api/analyses/x", null, "StrongWrite")]
    [InlineData("POST", "/api/failover", null, "StrongWrite")]
    [InlineData("POST", "/api/analyze/more", null, "StrongWrite")]
    [InlineData("POST", "/api/replicate", null, "Blocked")]
    [InlineData("GET", "/api/internal/binaries/x", null, "Blocked")]
    [InlineData("POST", "/cluster-consensus/vote", null, "Blocked")]
    public void Classify_SortsRequestsByMethodPathAndConsistency(string method, string path, string? consistency, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (consistency is not null)
        {
            context.Request.Headers["X-Consistency"] = consistency;
        }

        Assert.Equal(Enum.Parse<RequestKind>(expected), RequestClassifier.Classify(context.Request));
    }

    private static (string, string) First((IReadOnlyList<GatewayRegionSnapshot> Order, string Decision) route) => (route.Order[0].Name, route.Decision);

    private static GatewayRegionSnapshot Region(string name, double latencyMs, bool healthy = true, string? primary = null, long epoch = 0) =>
        new(name, new Uri($"http://127.0.0.1:1/{name}"), healthy, latencyMs, latencyMs, null, healthy ? null : "down", primary == name ? "primary" : "replica",
            primary, epoch, primary == name, new Dictionary<string, ReplicationHealth>());
}
