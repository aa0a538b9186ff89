using System.Diagnostics;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Bench;

/// <summary>
/// Full analysis of a large real binary against <c>objdump -d</c> on the same file, in the same run:
/// medians of several runs each, and their ratio (target: analysis at most half of objdump's time).
/// </summary>
internal static class AnalyzeVersusObjdump
{
    public static int Run(string? file, int runs)
    {
        var path = file ?? Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libcoreclr.so");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"bench: {path} does not exist");
            return 1;
        }
        var bytes = File.ReadAllBytes(path);
        var engine = new AnalysisEngine();
        var warm = engine.Analyze(bytes);
        Console.WriteLine($"file: {path} ({bytes.Length / 1024.0 / 1024.0:F1} MiB), {warm.Functions.Count} functions, {warm.Strings.Count} strings, {warm.Symbols.Count} symbols");

        var analyze = Median(runs, () => engine.Analyze(bytes));
        var analyzeJson = Median(runs, () => AnalysisJson.Serialize(engine.Analyze(bytes)));
        var objdump = Median(runs, () => RunObjdump(path));

        Console.WriteLine($"analysis (engine)          median {analyze.TotalMilliseconds,9:F1} ms");
        Console.WriteLine($"analysis + JSON            median {analyzeJson.TotalMilliseconds,9:F1} ms");
        Console.WriteLine($"objdump -d > /dev/null     median {objdump.TotalMilliseconds,9:F1} ms");
        Console.WriteLine($"ratio analysis/objdump     {analyze / objdump:F3}   (target <= 0.5)");
        Console.WriteLine($"ratio analysis+JSON/objdump {analyzeJson / objdump:F3}");
        return 0;
    }

    private static void RunObjdump(string path)
    {
        // objdump writes straight to /dev/null: the reference pays for producing its listing, nothing else.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec objdump -d \"$1\" > /dev/null", "sh", path })
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"objdump -d {path} exited {process.ExitCode}");
        }
    }

    private static TimeSpan Median(int runs, Action action)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
