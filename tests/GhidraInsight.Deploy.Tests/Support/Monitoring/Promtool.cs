namespace GhidraInsight.Deploy.Tests.Support.Monitoring;

/// <summary>Prometheus's own checker (Debian's <c>prometheus</c> package, which .ci/run installs), run from a folder so relative rule_files resolve.</summary>
internal static class Promtool
{
    public static (int ExitCode, string Output) Run(params string[] args) => ExternalTool.RunWithInput("promtool", "", args);
}
