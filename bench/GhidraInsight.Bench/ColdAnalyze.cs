using System.Diagnostics;
using System.Globalization;

namespace GhidraInsight.Bench;

/// <summary>
/// <c>analyze</c> as a user meets it: the whole <c>./ghidrainsight analyze --json FILE</c> process (the launcher script, built
/// beforehand), from start to exit with its output going to /dev/null, against the whole <c>objdump -d FILE</c> process the same
/// way, alternating, in one run, with the managed CLI's own analyze beside them for reference (what the launcher ran before the
/// ahead-of-time analyser). Medians, their ratio (target ≤ 0.5), and the peak memory of each (from <c>/usr/bin/time</c>).
/// The warm, in-process figure is <c>-- analyze</c>.
/// </summary>
internal static class ColdAnalyze
{
    public static int Run(string? file, int runs)
    {
        var path = file ?? Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libcoreclr.so");
        var launcher = Launcher();
        if (!File.Exists(path) || launcher is null)
        {
            Console.Error.WriteLine($"bench: needs {path} and the ./ghidrainsight launcher above {AppContext.BaseDirectory}");
            return 1;
        }
        // Builds the command line and the ahead-of-time analyser if a source changed, so no timed run pays for it.
        Time(launcher, ["--version"]);
        Time(launcher, ["analyze", "/bin/true"]);
        // The managed CLI as the launcher ran analyze before it had the ahead-of-time analyser (profile-guided optimization off).
        var managed = Path.Combine(Path.GetDirectoryName(launcher)!, ".build", "cli", "ghidrainsight");
        Console.WriteLine($"file: {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F1} MiB); {runs} runs each, alternating; whole processes, output to /dev/null");
        var analyze = new List<(double Seconds, long? PeakKiB)>();
        var asManaged = new List<(double Seconds, long? PeakKiB)>();
        var objdump = new List<(double Seconds, long? PeakKiB)>();
        for (var i = 0; i < runs; i++)
        {
            analyze.Add(Time(launcher, ["analyze", "--json", path]));
            asManaged.Add(Time("env", ["DOTNET_TieredPGO=0", managed, "analyze", "--json", path]));
            objdump.Add(Time("objdump", ["-d", path]));
        }
        var (a, m, o) = (Median(analyze), Median(asManaged), Median(objdump));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"./ghidrainsight analyze --json   median {a.Seconds * 1000,7:F0} ms   peak {Peak(a.PeakKiB)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the managed CLI (reference)    median {m.Seconds * 1000,7:F0} ms   peak {Peak(m.PeakKiB)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"objdump -d                       median {o.Seconds * 1000,7:F0} ms   peak {Peak(o.PeakKiB)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio analyze/objdump            {a.Seconds / o.Seconds:F3}   (target <= 0.5; managed CLI {m.Seconds / o.Seconds:F3})"));
        return 0;
    }

    /// <summary>One whole process, output to /dev/null: wall seconds and peak resident memory (KiB) when /usr/bin/time can tell.</summary>
    private static (double Seconds, long? PeakKiB) Time(string program, string[] arguments)
    {
        var measured = File.Exists("/usr/bin/time");
        var report = Path.GetTempFileName();
        // Straight to /dev/null, as a user would redirect it: neither pays for a pipe.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "exec \"$@\" > /dev/null", "sh" })
        {
            psi.ArgumentList.Add(argument);
        }
        if (measured)
        {
            foreach (var argument in new[] { "/usr/bin/time", "-f", "%M", "-o", report })
            {
                psi.ArgumentList.Add(argument);
            }
        }
        psi.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {errors.Result}");
        }
        long? peak = measured && long.TryParse(File.ReadAllText(report).Trim().Split('\n')[^1], CultureInfo.InvariantCulture, out var kib) ? kib : null;
        File.Delete(report);
        return (seconds, peak);
    }

    private static (double Seconds, long? PeakKiB) Median(List<(double Seconds, long? PeakKiB)> runs) => runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);

    private static string Peak(long? kib) => kib is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value / 1024.0,6:F0} MiB") : "n/a (no /usr/bin/time)";

    private static string? Launcher()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ghidrainsight")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return Path.Combine(dir.FullName, "ghidrainsight");
            }
        }
        return null;
    }
}
