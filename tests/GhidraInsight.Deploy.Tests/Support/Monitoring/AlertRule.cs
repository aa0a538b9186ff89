namespace GhidraInsight.Deploy.Tests.Support.Monitoring;

/// <summary>One alerting rule of deploy/prometheus/alerts.yml: the names of its labels and annotations, not their values.</summary>
internal sealed record AlertRule(string Name, string Expression, IReadOnlySet<string> Labels, IReadOnlySet<string> Annotations);
