using System.Diagnostics;

namespace GhidraInsight.Tests.Shared;

/// <summary>Runs a reference tool (readelf, objdump, yara, …) and returns its output. A missing tool fails the test with a clear message.</summary>
internal static class ExternalTool
{
    public static string Run(string tool, params string[] args) => RunWithExit(tool, args, out _, requireSuccess: true);

    public static string RunWithExit(string tool, string[] args, out int exitCode, bool requireSuccess = false)
    {
        var path = Find(tool) ?? throw new InvalidOperationException($"'{tool}' is not installed; .ci/run installs it (apt-get).");
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["LC_ALL"] = "C";
        using var process = Process.Start(psi)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in 2 minutes");
        }
        exitCode = process.ExitCode;
        if (requireSuccess && exitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {exitCode}: {stderrTask.Result}");
        }
        return stdout;
    }

    /// <summary>Runs a tool with <paramref name="input"/> on its standard input; returns the exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) RunWithInput(string tool, string input, params string[] args)
    {
        var psi = new ProcessStartInfo(Find(tool) ?? throw new InvalidOperationException($"'{tool}' is not installed; .ci/run installs it (apt-get)."))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// Full path of a tool on PATH, else in Debian's versioned LLVM folders (<c>/usr/lib/llvm-N/bin</c>), else null.
    /// </summary>
    public static string? Find(string tool)
    {
        if (tool.Contains('/'))
        {
            return File.Exists(tool) ? tool : null;
        }
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (Directory.Exists("/usr/lib"))
        {
            dirs.AddRange(Directory.GetDirectories("/usr/lib", "llvm-*").OrderDescending().Select(d => Path.Combine(d, "bin")));
        }
        return dirs.Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
    }
}
