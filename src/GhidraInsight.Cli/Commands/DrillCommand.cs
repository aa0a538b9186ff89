using System.CommandLine;
using System.Globalization;
using GhidraInsight.Cli.Doctor;
using GhidraInsight.Cli.Remote;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// <c>ghidrainsight drill [--url URL] [--to REGION] [--kill] [--json]</c>: a failover drill on a healthy deployment. It refuses to
/// start when doctor finds anything wrong; it ends with the primary where it was, the canaries checked everywhere and removed.
/// </summary>
internal static class DrillCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"The gateway or any region (default: GHIDRA_URL, else {RegionApi.DefaultUrl})." };
        var to = new Option<string?>("--to") { Description = "The region to move the primary to (default: the one the primary reaches fastest)." };
        var kill = new Option<bool>("--kill") { Description = "Kill the primary's process instead of switching over, then have up restart it (only for `ghidrainsight up` on this machine)." };
        var apiKey = new Option<string?>("--api-key") { Description = "An admin API key (default: GHIDRA_API_KEY)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("drill", "Rehearse a failover safely: move the primary away and back while writing canaries, then check and remove them.")
        {
            url, to, kill, apiKey, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(url), parse.GetValue(to), parse.GetValue(kill), RegionApi.ApiKey(parse.GetValue(apiKey)),
            parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? urlFlag, string? toFlag, bool kill, string? apiKey, bool json, CancellationToken cancellationToken)
    {
        if (await RegionApi.ParseUrlAsync(urlFlag) is not { } url)
        {
            return ExitCodes.Usage;
        }

        // A switchover waits for the target to catch up (region.switchover_timeout); this guards only against a region that hangs.
        using var api = new RegionApi(url, apiKey, TimeSpan.FromMinutes(5));
        var (checks, deployment) = await DeploymentCheckup.RunAsync(api, configPath: null, new DoctorLimits(), cancellationToken);
        if (deployment is null || checks.Any(c => !c.Ok))
        {
            await Console.Error.WriteLineAsync("ghidrainsight: drill refused: the deployment is not healthy (a drill starts only when every doctor check passes):");
            foreach (var check in checks.Where(c => !c.Ok))
            {
                await Console.Error.WriteLineAsync(check.Render());
            }
            return ExitCodes.Failure;
        }

        var primary = FailoverDrill.Primary(deployment)!;
        var (target, refusal) = FailoverDrill.Target(deployment, primary, toFlag);
        refusal ??= kill ? KillRefusal(primary, url) : null;
        if (refusal is not null)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: drill refused: {refusal}");
            return ExitCodes.Usage;
        }

        var drill = new FailoverDrill(api, deployment, apiKey, line =>
        {
            if (!json)
            {
                Console.Out.WriteLine(line);
            }
        });
        if (!json)
        {
            await Console.Out.WriteLineAsync(kill
                ? $"drill: killing {primary.Region} (the primary), then restarting it, while writing canaries"
                : $"drill: switching the primary {primary.Region} → {target} → {primary.Region} while writing canaries");
        }

        var report = await drill.RunAsync(primary, target!, kill, cancellationToken);
        await Console.Out.WriteLineAsync(json ? Json(report) : Summary(report));
        return report.Passed ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Why <c>--kill</c> cannot run here: only a primary that <c>up</c> runs on this machine can be killed and restarted.</summary>
    private static string? KillRefusal(Http.Contracts.RegionDiagnostics primary, Uri url)
    {
        if (primary.UpProcessId is not { } up || primary.Host != Environment.MachineName || !Running(up) || !Running(primary.ProcessId))
        {
            return $"--kill needs a deployment that `ghidrainsight up` runs on this machine; the primary {primary.Region} runs on {primary.Host} (process {primary.ProcessId}"
                + (primary.UpProcessId is null ? ", not started by up)" : ")");
        }

        return primary.Endpoints.TryGetValue(primary.Region, out var own) && Uri.Compare(own, url, UriComponents.HostAndPort, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? $"--url reaches the primary {primary.Region} itself, which the drill kills: give the gateway's URL (or another region's)"
            : null;
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Summary(DrillReport report)
    {
        var lines = new List<string>
        {
            $"strong writes unavailable for at most {(report.UnavailableMs / 1000).ToString("0.00", CultureInfo.InvariantCulture)} s; {report.Acknowledged} of {report.Written} canaries acknowledged",
        };
        lines.AddRange(report.Problems.Select(p => $"✗ {p}"));
        lines.Add(report.Passed ? "✓ drill passed" : "✗ drill failed");
        return string.Join('\n', lines);
    }

    private static string Json(DrillReport report)
    {
        return Indented.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("passed", report.Passed);
            writer.WriteString("kind", report.Kind);
            writer.WriteString("from", report.From);
            writer.WriteString("to", report.To);
            writer.WriteNumber("unavailable_ms", report.UnavailableMs);
            writer.WriteNumber("canaries_written", report.Written);
            writer.WriteNumber("canaries_acknowledged", report.Acknowledged);
            writer.WriteStartObject("canaries_missing");
            foreach (var (region, count) in report.Missing)
            {
                writer.WriteNumber(region, count);
            }
            writer.WriteEndObject();
            writer.WriteBoolean("canaries_removed", report.Removed);
            writer.WriteStartArray("steps");
            report.Steps.ToList().ForEach(s => writer.WriteStringValue(s.Trim()));
            writer.WriteEndArray();
            writer.WriteStartArray("problems");
            report.Problems.ToList().ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
