using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GhidraInsight.Cli.Remote;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Cli.Commands;

/// <summary><c>ghidrainsight regions [--url URL] [--json]</c>: every region's health, latency, role and replication lag, as one region sees them.</summary>
internal static class RegionsCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"Any region (default: GHIDRA_URL, else {RegionApi.DefaultUrl})." };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (default: GHIDRA_API_KEY)." };
        var fresh = new Option<bool>("--fresh") { Description = "Have the region probe every other region now, rather than show what it last saw." };
        var command = new Command("regions", "Show the status of every region: ✓/✗, latency, role, replication lag.") { url, json, apiKey, fresh };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(url), parse.GetValue(json), RegionApi.ApiKey(parse.GetValue(apiKey)), parse.GetValue(fresh),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? urlFlag, bool json, string? apiKey, bool fresh, CancellationToken cancellationToken)
    {
        if (await RegionApi.ParseUrlAsync(urlFlag) is not { } url)
        {
            return ExitCodes.Usage;
        }

        using var api = new RegionApi(url, apiKey, TimeSpan.FromSeconds(30));
        var answer = await api.GetAsync(fresh ? "/api/regions?fresh=true" : "/api/regions", ContractsJsonContext.Default.RegionStatusMap, cancellationToken);
        if (!answer.Succeeded || answer.Value is null)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: {answer.Failure ?? "the region answered no status"}");
            return ExitCodes.Failure;
        }

        await Console.Out.WriteAsync(json ? JsonSerializer.Serialize(answer.Value, Indented.RegionStatusMap) + "\n" : Render(answer.Value));
        return ExitCodes.Success;
    }

    /// <summary>
    /// One line per region, e.g. <c>eu-west-1: ✓ (12.5ms)  replica  lag 8ms</c> (the primary with its epoch), then the failovers
    /// so far, oldest first, e.g. <c>  epoch 2  2026-11-28 23:12:36Z  us-east-1 → eu-west-1  (health)</c>.
    /// </summary>
    internal static string Render(RegionStatusMap regions)
    {
        var text = new StringBuilder();
        var failovers = new List<(long Epoch, string Line)>();
        foreach (var (name, status) in regions)
        {
            var latency = status.LatencyMs is { } l ? l.ToString("0.0", CultureInfo.InvariantCulture) + "ms" : "-";
            var role = status.Role;
            if (role == "primary" && status.Epoch is { } epoch)
            {
                role += $" (epoch {epoch.ToString(CultureInfo.InvariantCulture)})";
            }
            text.Append(CultureInfo.InvariantCulture, $"{name}: {(status.Healthy ? "✓" : "✗")} ({latency})  {role}  lag {status.LagMs.ToString("0", CultureInfo.InvariantCulture)}ms");
            foreach (var record in status.Failovers)
            {
                var at = record.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                failovers.Add((record.Epoch, $"  epoch {record.Epoch.ToString(CultureInfo.InvariantCulture)}  {at}  {record.From} → {record.To}  ({record.Reason})"));
            }
            if (!status.Healthy && status.Error is { Length: > 0 } error)
            {
                text.Append("  ").Append(error);
            }
            text.Append('\n');
        }
        if (failovers.Count > 0)
        {
            text.Append("failovers:\n");
            foreach (var (_, line) in failovers.OrderBy(f => f.Epoch))
            {
                text.Append(line).Append('\n');
            }
        }
        return text.ToString();
    }
}
