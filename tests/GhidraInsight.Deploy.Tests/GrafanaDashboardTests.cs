using GhidraInsight.Deploy.Tests.Support.Monitoring;
using GhidraInsight.Tests.Shared;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// deploy/grafana/ghidrainsight.json: it parses, every query is PromQL Prometheus accepts and reads only metrics the product
/// exports, and each area an operator watches has a panel.
/// </summary>
public sealed class GrafanaDashboardTests
{
    /// <summary>The areas of the issue, each with the metric whose panel shows it.</summary>
    public static TheoryData<string, string> Areas => new()
    {
        { "region health", "ghidrainsight_region_healthy" },
        { "cross-region latency", "ghidrainsight_cross_region_latency_seconds" },
        { "replication lag", "ghidrainsight_replication_lag_seconds" },
        { "replication pending", "ghidrainsight_replication_pending" },
        { "failover events", "ghidrainsight_failover_events_total" },
        { "strong-write acceptance", "ghidrainsight_accepting_strong_writes" },
        { "gateway requests", "ghidrainsight_gateway_attempts_total" },
        { "gateway retries", "ghidrainsight_gateway_retries_total" },
        { "gateway reroute time", "ghidrainsight_gateway_reroute_seconds_bucket" },
        { "storage free", "ghidrainsight_storage_free_bytes" },
    };

    [Fact]
    public void EveryQuery_ReadsOnlyMetricsTheProductExports()
    {
        var dashboard = GrafanaDashboard.Load();

        var unknown = dashboard.Panels.SelectMany(panel => panel.Expressions
            .SelectMany(PromQl.MetricNames).Where(name => !ProductMetrics.Known.Contains(name)).Select(name => $"{panel.Title}: {name}"));
        Assert.NotEmpty(dashboard.Panels.SelectMany(panel => panel.Expressions));
        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void EachArea_HasAPanel(string area, string metric)
    {
        var panels = GrafanaDashboard.Load().Panels.Where(panel => panel.Expressions.Any(expression => PromQl.MetricNames(expression).Contains(metric)));

        Assert.True(panels.Any(), $"no panel shows {area} ({metric})");
    }

    [Fact]
    public void EveryQuery_IsPromQlThatPromtoolAccepts()
    {
        // promtool parses PromQL only in rule files: each query becomes a recording rule, with Grafana's interval variable
        // replaced by what Grafana would put there.
        var queries = GrafanaDashboard.Load().Panels.SelectMany(panel => panel.Expressions).ToList();
        using var folder = new TempFolder("gi-grafana-");
        var file = Path.Combine(folder.Path, "queries.yml");
        File.WriteAllLines(file, ["groups:", "  - name: dashboard", "    rules:",
            .. queries.SelectMany((query, i) => new[] { $"      - record: dashboard_query_{i}", $"        expr: '{query.Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}'" })]);

        var (exitCode, output) = Promtool.Run("check", "rules", file);

        Assert.True(exitCode == 0, $"promtool refuses a dashboard query:\n{output}");
    }
}
