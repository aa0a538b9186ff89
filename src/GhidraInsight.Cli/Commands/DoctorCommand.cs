using System.CommandLine;
using GhidraInsight.Cli.Doctor;
using GhidraInsight.Cli.Remote;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// <c>ghidrainsight doctor [--url URL] [--config FILE] [--json]</c>: the troubleshooting routine, automated. Each check is a line with
/// ✓ or ✗ and, when it fails, the fix; the exit code is 1 when any fails.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"Any region or the gateway (default: GHIDRA_URL, else {RegionApi.DefaultUrl})." };
        var config = new Option<string?>("--config") { Description = "Also check this config file (default: GHIDRA_CONFIG, if set)." };
        var apiKey = new Option<string?>("--api-key") { Description = "An admin API key (default: GHIDRA_API_KEY)." };
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON." };
        var maxLag = new Option<double>("--max-lag-ms") { Description = "Replication lag above this fails (default 1000).", DefaultValueFactory = _ => 1000 };
        var maxPending = new Option<long>("--max-pending") { Description = "Pending entries per target above this fail (default 10000).", DefaultValueFactory = _ => 10_000 };
        var command = new Command("doctor", "Check the whole deployment: configuration, links between regions, secret, clocks, replication, primary, consensus, disk.")
        {
            url, config, apiKey, json, maxLag, maxPending,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(url), parse.GetValue(config) ?? Environment.GetEnvironmentVariable("GHIDRA_CONFIG"),
            RegionApi.ApiKey(parse.GetValue(apiKey)), parse.GetValue(json), new DoctorLimits(parse.GetValue(maxLag), parse.GetValue(maxPending)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? urlFlag, string? configPath, string? apiKey, bool json, DoctorLimits limits, CancellationToken cancellationToken)
    {
        if (await RegionApi.ParseUrlAsync(urlFlag) is not { } url)
        {
            return ExitCodes.Usage;
        }

        if (limits.MaxLagMs <= 0 || limits.MaxPending < 0)
        {
            await Console.Error.WriteLineAsync("ghidrainsight: --max-lag-ms must be above 0 and --max-pending at least 0");
            return ExitCodes.Usage;
        }

        using var api = new RegionApi(url, apiKey, TimeSpan.FromSeconds(30));
        var (checks, deployment) = await DeploymentCheckup.RunAsync(api, configPath, limits, cancellationToken);
        var ok = checks.All(c => c.Ok);
        await Console.Out.WriteLineAsync(json ? Json(checks, deployment?.AnsweredBy, ok) : string.Join('\n', checks.Select(c => c.Render())));
        return ok ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary><c>{"ok": …, "answered_by": …, "checks": [{"name", "ok", "detail", "fix"}]}</c>.</summary>
    internal static string Json(IReadOnlyList<DoctorCheck> checks, string? answeredBy, bool ok)
    {
        return Indented.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ok", ok);
            writer.WriteString("answered_by", answeredBy);
            writer.WriteStartArray("checks");
            foreach (var check in checks)
            {
                writer.WriteStartObject();
                writer.WriteString("name", check.Name);
                writer.WriteBoolean("ok", check.Ok);
                writer.WriteString("detail", check.Detail);
                writer.WriteString("fix", check.Fix);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
