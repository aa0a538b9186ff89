using System.Diagnostics;
using GhidraInsight.Http.Logging;
using System.Text.RegularExpressions;

namespace GhidraInsight.Cli.Up;

/// <summary>One process run by <c>up</c>: a region (<c>ghidrainsight serve --config …</c>) or the gateway (<c>ghidrainsight gateway --config …</c>).</summary>
internal sealed partial class RegionProcess(string region, string configPath, Process process) : IDisposable
{

    /// <summary>The region's name, or <c>gateway</c>.</summary>
    public string Region { get; } = region;

    public Process Process { get; } = process;

    /// <summary>Its config file.</summary>
    public string ConfigPath { get; } = configPath;

    /// <summary>The same process again (after it exited).</summary>
    public RegionProcess Restart() => Region == "gateway" ? StartGateway(ConfigPath) : Start(Region, ConfigPath);

    /// <summary>A region: <c>serve --config</c>.</summary>
    public static RegionProcess Start(string region, string configPath) => Start(region, "serve", configPath);

    /// <summary>The gateway: <c>gateway --config</c>.</summary>
    public static RegionProcess StartGateway(string configPath) => Start("gateway", "gateway", configPath);

    private static RegionProcess Start(string region, string command, string configPath)
    {
        var (file, prefix) = SelfCommand();
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in prefix.Concat([command, "--config", configPath]))
        {
            psi.ArgumentList.Add(arg);
        }
        // The region's own config file decides; inherited overrides would make it differ from what up wrote. The log format is
        // not configuration: every process of up logs alike.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("GHIDRA_", StringComparison.Ordinal) && k != ServiceLogging.FormatVariable).ToList())
        {
            psi.Environment.Remove(name);
        }
        // Which up started it (its diagnostics report it), so `drill --kill` on this machine knows whom to ask for a restart.
        psi.Environment[GhidraInsight.Http.Contracts.RegionDiagnostics.UpProcessVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var child = new RegionProcess(region, configPath, process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            // A JSON event stays one JSON object, with the process it came from as its first field.
            Console.Error.WriteLine(e.Data.StartsWith('{') && ServiceLogging.IsJson
                ? $"{{\"Process\":\"{region}\",{e.Data[1..]}"
                : $"[{region}] {e.Data}");
        };
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the child's "listening on URL" line; null when it exits or the time runs out first.</summary>
    public async Task<Uri?> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await Process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    // Keep draining stdout so the child never blocks on a full pipe.
                    _ = Process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new Uri(match.Groups[1].Value);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        return null;
    }

    /// <summary>SIGTERM, then SIGKILL if it has not stopped within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Process.HasExited)
        {
            return;
        }
        Signals.Terminate(Process.Id);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await Process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public void Dispose() => Process.Dispose();

    /// <summary>How to run this same CLI again: the apphost directly, or <c>dotnet ghidrainsight.dll</c>.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? (processPath, [typeof(RegionProcess).Assembly.Location])
            : (processPath, []);
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex Listening();
}
