using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support.Monitoring;

/// <summary>deploy/prometheus/alerts.yml and its promtool unit tests, read as YAML.</summary>
internal static class AlertRules
{
    public const string RulesFile = "deploy/prometheus/alerts.yml";
    public const string TestsFile = "deploy/prometheus/alerts.test.yml";

    /// <summary>Every alerting rule: its name, expression, labels and annotations.</summary>
    public static IReadOnlyList<AlertRule> All() =>
        [.. YamlNodes.LoadRoot(RulesFile).ChildSequence("groups")!.Cast<YamlMappingNode>()
            .SelectMany(group => group.ChildSequence("rules")!.Cast<YamlMappingNode>())
            .Where(rule => rule.Child("alert") is not null)
            .Select(rule => new AlertRule(rule.PlainScalar("alert")!, rule.PlainScalar("expr")!, Keys(rule, "labels"), Keys(rule, "annotations")))];

    /// <summary>Each alert_rule_test of the unit tests: the alert it checks and whether it expects it to fire.</summary>
    public static IReadOnlyList<(string Alert, bool Fires)> UnitTestCases() =>
        [.. YamlNodes.LoadRoot(TestsFile).ChildSequence("tests")!.Cast<YamlMappingNode>()
            .SelectMany(test => test.ChildSequence("alert_rule_test")!.Cast<YamlMappingNode>())
            .Select(check => (check.PlainScalar("alertname")!, check.ChildSequence("exp_alerts") is { Children.Count: > 0 }))];

    private static IReadOnlySet<string> Keys(YamlMappingNode rule, string key) =>
        rule.ChildMapping(key)?.Entries().Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal) ?? [];
}
