using System.Diagnostics;
using System.Security.Cryptography;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Crypto;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Functions;
using GhidraInsight.Analysis.Model;
using GhidraInsight.Analysis.Strings;

namespace GhidraInsight.Bench;

/// <summary>Where the analysis time goes: each stage of the engine timed on its own (medians).</summary>
internal static class StageTimes
{
    public static int Run(string? file, int runs)
    {
        var path = file ?? Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libcoreclr.so");
        var bytes = File.ReadAllBytes(path);
        var image = AnalysisEngine.ParseImages(bytes, CancellationToken.None)[0];
        var map = new AddressMap(image.Regions);
        Report("hashes", runs, () => { MD5.HashData(bytes); SHA1.HashData(bytes); SHA256.HashData(bytes); });
        Report("parse", runs, () => AnalysisEngine.ParseImages(bytes, CancellationToken.None));
        Report("strings", runs, () => StringExtractor.Extract(bytes, map, 1_000_000, new List<AnalysisError>(), CancellationToken.None));
        Report("crypto", runs, () => CryptoConstantScanner.Scan(bytes, map, CancellationToken.None));
        Report("functions", runs, () => FunctionDiscovery.Discover(bytes, image, map, 1_000_000, CancellationToken.None));
        Report("whole analysis", runs, () => new AnalysisEngine().Analyze(bytes));
        return 0;
    }

    private static void Report(string stage, int runs, Action action)
    {
        action();
        var times = Enumerable.Range(0, runs).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            action();
            return watch.Elapsed.TotalMilliseconds;
        }).Order().ToList();
        Console.WriteLine($"{stage,-16} {times[times.Count / 2],9:F1} ms");
    }
}
