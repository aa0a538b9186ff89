using System.Collections.Concurrent;

namespace GhidraInsight.Analysis.Tests.Support;

/// <summary>
/// Builds sample binaries at test time from the C sources under <c>Samples/</c>, once per test run,
/// into a temporary folder. Each call names the compiler and flags, so what a test checks is visible in the test.
/// </summary>
internal static class SampleBinaries
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new();
    private static readonly string OutputDir = TempFolder.ForTheRun("ghidrainsight-samples-");

    public static string SourcePath(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    /// <summary>Compiles <paramref name="source"/> with <paramref name="compiler"/> and the given arguments; returns the output path.</summary>
    public static string Build(string compiler, string source, string outputName, params string[] args)
    {
        var key = string.Join('\u0001', [compiler, source, outputName, .. args]);
        return Built.GetOrAdd(key, _ => new Lazy<string>(() =>
        {
            var output = Path.Combine(OutputDir, outputName);
            ExternalTool.Run(compiler, [.. args, "-o", output, SourcePath(source)]);
            return output;
        })).Value;
    }

    /// <summary>Runs any command that writes <paramref name="outputName"/> in the sample folder (e.g. llvm-lipo).</summary>
    public static string Make(string outputName, string tool, Func<string, string[]> argsForOutput)
    {
        var key = string.Join('\u0001', ["make", tool, outputName]);
        return Built.GetOrAdd(key, _ => new Lazy<string>(() =>
        {
            var output = Path.Combine(OutputDir, outputName);
            ExternalTool.Run(tool, argsForOutput(output));
            return output;
        })).Value;
    }

    public static string TempPath(string name) => Path.Combine(OutputDir, name);
}
