using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// <c>ghidrainsight failover --to REGION [--url URL]</c>: a safe switchover, asked of any region (it relays to the Raft leader).
/// The new primary is named only once it accepts strong writes; a target that cannot catch up in time changes nothing.
/// </summary>
internal static class FailoverCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "The region to make primary.", Required = true };
        var url = new Option<string?>("--url") { Description = $"Any region (default: GHIDRA_URL, else {RegionsCommand.DefaultUrl})." };
        var apiKey = new Option<string?>("--api-key") { Description = "An admin API key (default: GHIDRA_API_KEY)." };
        var json = new Option<bool>("--json") { Description = "Print the outcome as JSON." };
        var command = new Command("failover", "Switch the primary to another region safely: it waits until that region has caught up.") { to, url, apiKey, json };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(to)!,
            parse.GetValue(url) ?? Environment.GetEnvironmentVariable("GHIDRA_URL") ?? RegionsCommand.DefaultUrl,
            parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("GHIDRA_API_KEY"),
            parse.GetValue(json),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string to, string urlText, string? apiKey, bool json, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: --url expects a URL like {RegionsCommand.DefaultUrl}, not '{urlText}'");
            return ExitCodes.Usage;
        }

        // The server bounds the switchover by region.switchover_timeout; this only guards against a region that hangs.
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/api/failover")) { Content = JsonContent.Create(new { to }) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        JsonObject answer;
        bool succeeded;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            succeeded = response.IsSuccessStatusCode;
            answer = TryParse(body) ?? new JsonObject { ["detail"] = $"{(int)response.StatusCode}: {(body.Length > 300 ? body[..300] + "…" : body)}" };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: cannot reach {url}: {ex.Message}");
            return ExitCodes.Failure;
        }

        if (json)
        {
            await Console.Out.WriteLineAsync(answer.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else if (succeeded)
        {
            await Console.Out.WriteLineAsync((string?)answer["detail"] ?? $"{to} is the primary.");
        }

        if (!succeeded)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: failover to {to} did not happen: {(string?)answer["detail"] ?? (string?)answer["title"] ?? "no reason given"}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private static JsonObject? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
