namespace GhidraInsight.Deploy.Tests.Support.Monitoring;

/// <summary>One panel of the Grafana dashboard and the PromQL of its targets.</summary>
internal sealed record GrafanaPanel(string Title, string Type, IReadOnlyList<string> Expressions);
