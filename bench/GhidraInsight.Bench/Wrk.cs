using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GhidraInsight.Bench;

/// <summary>One wrk run: throughput, p99 and max latency, and what failed (non-2xx answers, socket errors, timeouts).</summary>
internal sealed record WrkResult(double RequestsPerSecond, double P99Ms, double MaxMs, long Requests, long Non2xx, long SocketErrors)
{
    /// <summary>Requests that did not get a 2xx or 3xx answer in time.</summary>
    public long Failed => Non2xx + SocketErrors;
}

/// <summary>Drives HTTP load with wrk (Debian's <c>wrk</c>): 2 threads, 32 keep-alive connections.</summary>
internal static partial class Wrk
{
    public static async Task<bool> AvailableAsync()
    {
        using var probe = Process.Start(new ProcessStartInfo("sh", ["-c", "command -v wrk"]) { RedirectStandardOutput = true })!;
        await probe.WaitForExitAsync();
        if (probe.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync("bench: wrk is needed (apt-get install wrk)");
        }
        return probe.ExitCode == 0;
    }

    public static WrkResult Run(Uri url, int seconds, params string[] headers) => RunAsync(url, seconds, headers).GetAwaiter().GetResult();

    public static async Task<WrkResult> RunAsync(Uri url, int seconds, params string[] headers)
    {
        var psi = new ProcessStartInfo("wrk", ["-t2", "-c32", $"-d{seconds}s", "--latency", .. headers.SelectMany(h => new[] { "-H", h }), url.ToString()])
        {
            RedirectStandardOutput = true,
        };
        using var wrk = Process.Start(psi)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var errors = SocketErrors().Match(output);
        return new WrkResult(
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(P99().Match(output)),
            Milliseconds(Max().Match(output)),
            long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Non2xx().Match(output) is { Success: true } non2xx ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(errors.Groups[i].Value, CultureInfo.InvariantCulture)) : 0);
    }

    private static double Milliseconds(Match match)
    {
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, "m" => value * 60_000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([0-9.]+)(us|ms|s|m)")]
    private static partial Regex P99();

    [GeneratedRegex(@"Latency\s+[0-9.]+\w+\s+[0-9.]+\w+\s+([0-9.]+)(us|ms|s|m)")]
    private static partial Regex Max();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
