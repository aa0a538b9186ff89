using System.Text.Json;

namespace GhidraInsight.Deploy.Tests.Support.Monitoring;

/// <summary>deploy/grafana/ghidrainsight.json: its panels (rows' nested panels included) and each panel's query expressions.</summary>
internal sealed class GrafanaDashboard
{
    public const string File = "deploy/grafana/ghidrainsight.json";

    private GrafanaDashboard(IReadOnlyList<GrafanaPanel> panels) => Panels = panels;

    public IReadOnlyList<GrafanaPanel> Panels { get; }

    /// <summary>Parses the file; malformed JSON fails the test with the parser's position.</summary>
    public static GrafanaDashboard Load()
    {
        using var document = JsonDocument.Parse(DeployFiles.ReadAllText(File));
        return new GrafanaDashboard([.. PanelsIn(document.RootElement)]);
    }

    private static IEnumerable<GrafanaPanel> PanelsIn(JsonElement container)
    {
        if (!container.TryGetProperty("panels", out var panels))
        {
            yield break;
        }
        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            var expressions = panel.TryGetProperty("targets", out var targets)
                ? targets.EnumerateArray().Select(target => target.GetProperty("expr").GetString() ?? "").ToList()
                : [];
            yield return new GrafanaPanel(title, panel.GetProperty("type").GetString() ?? "", expressions);
            foreach (var nested in PanelsIn(panel))
            {
                yield return nested;
            }
        }
    }
}
