using GhidraInsight.Deploy.Tests.Support.Monitoring;

namespace GhidraInsight.Deploy.Tests;

/// <summary>The two helpers the alert and dashboard tests stand on: the product's metric names from its source, and the metric names a PromQL expression reads.</summary>
public sealed class ProductMetricsTests
{
    [Theory]
    [InlineData("ghidrainsight_region_healthy")]
    [InlineData("ghidrainsight_failover_events_total")]
    [InlineData("ghidrainsight_gateway_reroute_seconds_bucket")]
    [InlineData("ghidrainsight_storage_free_bytes")]
    public void TheProductsMetrics_AreReadFromItsSource_HistogramSeriesIncluded(string metric)
    {
        Assert.Contains(metric, ProductMetrics.Known);
    }

    [Fact]
    public void AHistogramsOwnName_IsNotASeriesPrometheusScrapes()
    {
        Assert.DoesNotContain("ghidrainsight_gateway_reroute_seconds", ProductMetrics.Known);
    }

    [Theory]
    [InlineData("rate(a_total{region=\"eu-west-1\",x=~\"b|c\"}[5m])", "a_total")]
    [InlineData("sum by (region) (1 - a) / count by (region) (b) > 0.5", "a b")]
    [InlineData("sum without (region, reason) (rate(a[5m])) / on(instance) group_left(target) b > 0.1", "a b")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(h_bucket[$__rate_interval])))", "h_bucket")]
    [InlineData("a - a offset 15m > 0 and b > 1e6", "a b")]
    [InlineData("sum(a) == 0 or absent(b) unless bool c", "a b c")]
    [InlineData("max(up)", "up")]
    public void MetricNamesOf_FindsEveryMetric_AndNoFunctionLabelOrKeyword(string expression, string expected)
    {
        Assert.Equal(expected.Split(' ').Order(StringComparer.Ordinal), PromQl.MetricNames(expression).Order(StringComparer.Ordinal));
    }
}
