using System.Diagnostics;

namespace GhidraInsight.Tests.Shared;

/// <summary>
/// How every test project starts the real, built CLI (<c>ghidrainsight.dll</c>, copied next to the tests by the project
/// reference) as a child process: the dotnet host running the tests, output redirected, and no inherited
/// <c>GHIDRA_*</c> variables, so the arguments alone decide.
/// </summary>
internal static class CliStart
{
    public static ProcessStartInfo Info(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ghidrainsight.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing; the test project must reference the CLI project");
        }
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("GHIDRA_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(name);
        }
        return psi;
    }

    /// <summary>Starts the CLI with its standard input closed.</summary>
    public static Process Start(params string[] args)
    {
        var process = Process.Start(Info(args))!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs the CLI to completion (2 minutes at most): exit code, stdout, stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = Info(args);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ghidrainsight {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The <c>dotnet</c> host: the one running these tests when known, else the first on PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }
        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
    }
}
