using GhidraInsight.Deploy.Tests.Support;
using GhidraInsight.Deploy.Tests.Support.Monitoring;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// deploy/prometheus/alerts.yml: Prometheus's own tool accepts the rules and their unit tests pass, every alert is tested
/// both firing and quiet, and every metric an alert reads is one the product exports.
/// </summary>
public sealed class PrometheusAlertTests
{
    [Fact]
    public void Promtool_AcceptsTheRules()
    {
        var (exitCode, output) = Promtool.Run("check", "rules", DeployFiles.FullPath(AlertRules.RulesFile));

        Assert.True(exitCode == 0, $"promtool check rules failed:\n{output}");
    }

    [Fact]
    public void PromtoolsUnitTestsOfTheRules_Pass()
    {
        var (exitCode, output) = Promtool.Run("test", "rules", DeployFiles.FullPath(AlertRules.TestsFile));

        Assert.True(exitCode == 0, $"promtool test rules failed:\n{output}");
    }

    [Fact]
    public void EveryAlert_HasAUnitTestWhereItFires_AndOneWhereItStaysQuiet()
    {
        var cases = AlertRules.UnitTestCases();

        var untested = AlertRules.All().SelectMany(alert => new[]
        {
            cases.Contains((alert.Name, true)) ? null : $"{alert.Name} never fires in {AlertRules.TestsFile}",
            cases.Contains((alert.Name, false)) ? null : $"{alert.Name} is never expected quiet in {AlertRules.TestsFile}",
        }).OfType<string>();
        Assert.Empty(untested);
    }

    [Fact]
    public void EveryMetricAnAlertReads_IsOneTheProductExports()
    {
        var unknown = AlertRules.All()
            .SelectMany(alert => PromQl.MetricNames(alert.Expression).Where(name => !ProductMetrics.Known.Contains(name)).Select(name => $"{alert.Name}: {name}"));

        Assert.Empty(unknown);
    }

    [Fact]
    public void EveryAlert_SaysHowSevereItIs_AndSummarisesItself()
    {
        var incomplete = AlertRules.All().Where(alert => !alert.Labels.Contains("severity") || !alert.Annotations.Contains("summary")).Select(alert => alert.Name);

        Assert.Empty(incomplete);
    }
}
