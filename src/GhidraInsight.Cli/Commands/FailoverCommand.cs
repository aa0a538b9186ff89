using System.CommandLine;
using System.Text.Json;
using GhidraInsight.Cli.Remote;
using GhidraInsight.Http.Contracts;

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
        var url = new Option<string?>("--url") { Description = $"Any region (default: GHIDRA_URL, else {RegionApi.DefaultUrl})." };
        var apiKey = new Option<string?>("--api-key") { Description = "An admin API key (default: GHIDRA_API_KEY)." };
        var json = new Option<bool>("--json") { Description = "Print the outcome as JSON." };
        var command = new Command("failover", "Switch the primary to another region safely: it waits until that region has caught up.") { to, url, apiKey, json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(to)!, parse.GetValue(url), RegionApi.ApiKey(parse.GetValue(apiKey)), parse.GetValue(json),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string to, string? urlFlag, string? apiKey, bool json, CancellationToken cancellationToken)
    {
        if (await RegionApi.ParseUrlAsync(urlFlag) is not { } url)
        {
            return ExitCodes.Usage;
        }

        // The server bounds the switchover by region.switchover_timeout; this only guards against a region that hangs.
        using var api = new RegionApi(url, apiKey, TimeSpan.FromMinutes(5));
        var answer = await api.PostAsync("/api/failover", new SwitchoverRequest(to), ContractsJsonContext.Default.SwitchoverRequest,
            ContractsJsonContext.Default.SwitchoverResult, cancellationToken);
        if (json && (answer.Value is not null || answer.Problem is not null))
        {
            await Console.Out.WriteLineAsync(answer.Value is { } result
                ? JsonSerializer.Serialize(result, Indented.SwitchoverResult)
                : JsonSerializer.Serialize(answer.Problem!, Indented.ProblemDocument));
        }

        if (!answer.Reached)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: {answer.Failure}");
            return ExitCodes.Failure;
        }

        if (!answer.Succeeded || answer.Value is null)
        {
            var why = answer.Problem is { } refused ? refused.Detail ?? refused.Title : answer.Failure;
            await Console.Error.WriteLineAsync($"ghidrainsight: failover to {to} did not happen: {why ?? "no reason given"}");
            return ExitCodes.Failure;
        }

        if (!json)
        {
            await Console.Out.WriteLineAsync(answer.Value.Detail);
        }

        return ExitCodes.Success;
    }
}
