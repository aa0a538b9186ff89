using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GhidraInsight.Cli.Commands;

/// <summary><c>ghidrainsight regions [--url URL] [--json]</c>: every region's health, latency, role and replication lag, as one region sees them.</summary>
internal static class RegionsCommand
{
    public const string DefaultUrl = "http://127.0.0.1:3101";

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"Any region (default: GHIDRA_URL, else {DefaultUrl})." };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (default: GHIDRA_API_KEY)." };
        var command = new Command("regions", "Show the status of every region: ✓/✗, latency, role, replication lag.") { url, json, apiKey };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(url) ?? Environment.GetEnvironmentVariable("GHIDRA_URL") ?? DefaultUrl,
            parse.GetValue(json),
            parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("GHIDRA_API_KEY"),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string urlText, bool json, string? apiKey, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: --url expects a URL like {DefaultUrl}, not '{urlText}'");
            return ExitCodes.Usage;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/regions"));
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Add("X-API-Key", apiKey);
        }
        string body;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {url} answered {(int)response.StatusCode}: {Shorten(body)}");
                return ExitCodes.Failure;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: cannot reach {url}: {ex.Message}");
            return ExitCodes.Failure;
        }
        var status = JsonNode.Parse(body)?.AsObject() ?? new JsonObject();
        await Console.Out.WriteAsync(json ? status.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n" : Render(status));
        return ExitCodes.Success;
    }

    /// <summary>
    /// One line per region, e.g. <c>eu-west-1: ✓ (12.5ms)  replica  lag 8ms</c> (the primary with its epoch), then the failovers
    /// so far, oldest first, e.g. <c>  epoch 2  2026-11-28T23:12:36Z  us-east-1 → eu-west-1  (health)</c>.
    /// </summary>
    internal static string Render(JsonObject regions)
    {
        var text = new StringBuilder();
        var failovers = new List<(long Epoch, string Line)>();
        foreach (var (name, node) in regions)
        {
            var healthy = node?["healthy"]?.GetValue<bool>() == true;
            var latency = node?["latency_ms"] is JsonValue l ? l.GetValue<double>().ToString("0.0", CultureInfo.InvariantCulture) + "ms" : "-";
            var role = (string?)node?["role"] ?? "unknown";
            var lag = node?["lag_ms"] is JsonValue g ? g.GetValue<double>().ToString("0", CultureInfo.InvariantCulture) + "ms" : "-";
            if (role == "primary" && node?["epoch"] is JsonValue epoch)
            {
                role += $" (epoch {epoch.GetValue<long>().ToString(CultureInfo.InvariantCulture)})";
            }
            text.Append(CultureInfo.InvariantCulture, $"{name}: {(healthy ? "✓" : "✗")} ({latency})  {role}  lag {lag}");
            foreach (var record in node?["failovers"] as JsonArray ?? [])
            {
                var at = DateTimeOffset.TryParse((string?)record?["at"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var when)
                    ? when.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                    : "?";
                var recordEpoch = record?["epoch"] is JsonValue e ? e.GetValue<long>() : 0;
                failovers.Add((recordEpoch, $"  epoch {recordEpoch.ToString(CultureInfo.InvariantCulture)}  {at}  {(string?)record?["from"]} → {(string?)record?["to"]}  ({(string?)record?["reason"]})"));
            }
            if (!healthy && (string?)node?["error"] is { Length: > 0 } error)
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

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
