using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GhidraInsight.Cli.Remote;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// <c>ghidrainsight reanalyze [--url URL] [--concurrency N]</c>: has the primary re-analyse every stored result an older engine
/// made, and follows it to the end with its progress on stderr. Ctrl+C stops following, not the re-analysis.
/// </summary>
internal static class ReanalyzeCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"The gateway or any region (default: GHIDRA_URL, else {RegionApi.DefaultUrl})." };
        var apiKey = new Option<string?>("--api-key") { Description = "An admin API key (default: GHIDRA_API_KEY)." };
        var concurrency = new Option<int>("--concurrency") { Description = "How many results are re-analysed at a time (1-16).", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print the final status as JSON." };
        var command = new Command("reanalyze",
            "Re-analyse, in the background at the primary region, every stored result an older engine made, and show the progress.")
        {
            url, apiKey, concurrency, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(url), RegionApi.ApiKey(parse.GetValue(apiKey)), parse.GetValue(concurrency),
            parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? urlFlag, string? apiKey, int concurrency, bool json, CancellationToken cancellationToken)
    {
        if (await RegionApi.ParseUrlAsync(urlFlag) is not { } url)
        {
            return ExitCodes.Usage;
        }

        if (concurrency is < 1 or > 16)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: --concurrency must be from 1 to 16, not {concurrency}");
            return ExitCodes.Usage;
        }

        using var api = new RegionApi(url, apiKey, TimeSpan.FromSeconds(30));
        var start = await api.PostAsync(string.Create(CultureInfo.InvariantCulture, $"/api/reanalyze?concurrency={concurrency}"),
            ContractsJsonContext.Default.ReanalysisStatus, cancellationToken);
        if (start.Value is not { } status)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: {Why(start)}");
            return ExitCodes.Failure;
        }

        var job = status.StartedAt;
        // A job already running at the primary is followed as it is (its own concurrency).
        await Console.Error.WriteLineAsync(
            $"Re-analysing at {status.Region}, the primary, since {status.StartedAt:u}: every result an engine older than {status.EngineVersion} made, {status.Concurrency} at a time.");
        var shown = "";
        try
        {
            while (status.State == "running")
            {
                await Task.Delay(PollInterval, cancellationToken);
                var poll = await api.GetAsync("/api/reanalyze", ContractsJsonContext.Default.ReanalysisStatus, cancellationToken);
                if (poll.Value is not { } next)
                {
                    // A region restarting or a failover under way: keep following for as long as it lasts.
                    shown = await ShowAsync($"(no answer: {Why(poll)})", shown);
                    continue;
                }

                if (next.StartedAt != job)
                {
                    await Console.Error.WriteLineAsync();
                    await Console.Error.WriteLineAsync(
                        $"ghidrainsight: the primary is now {next.Region} and does not run this re-analysis (a failover?); what was done is stored. Run reanalyze again to finish.");
                    return ExitCodes.Failure;
                }

                status = next;
                shown = await ShowAsync(Line(status), shown);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync();
            await Console.Error.WriteLineAsync("Stopped following; the re-analysis goes on at the primary. `ghidrainsight reanalyze` again shows it.");
            return ExitCodes.Failure;
        }

        if (shown.Length > 0 && !Console.IsErrorRedirected)
        {
            await Console.Error.WriteLineAsync();
        }

        await Console.Out.WriteLineAsync(json
            ? JsonSerializer.Serialize(status, Indented.ReanalysisStatus)
            : $"Re-analysed {status.Reanalysed} of {status.Stale} stale results ({status.Examined} stored) at {status.Region} with engine {status.EngineVersion}: "
              + $"{status.Current} current already, {status.NotHeld} with no binary in any region (they stay stale), {status.Failed} failed.");
        return status.Failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Line(ReanalysisStatus status) =>
        $"{status.Examined} stored looked at, {status.Stale} stale: {status.Reanalysed} re-analysed, {status.Current} current, {status.NotHeld} not held, "
        + $"{status.Failed} failed, {status.Pending} to go";

    /// <summary>One line rewritten in place on a terminal; a new line per change otherwise (logs).</summary>
    private static async Task<string> ShowAsync(string line, string shown)
    {
        if (line == shown)
        {
            return shown;
        }

        if (Console.IsErrorRedirected)
        {
            await Console.Error.WriteLineAsync(line);
        }
        else
        {
            await Console.Error.WriteAsync("\r" + line.PadRight(Math.Max(line.Length, shown.Length)));
        }

        return line;
    }

    private static string Why<T>(RegionAnswer<T> answer) =>
        answer.Problem is { } problem ? $"{problem.Title} {problem.Detail}".Trim() : answer.Failure ?? "no answer";
}
