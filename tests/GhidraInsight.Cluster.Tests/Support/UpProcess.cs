using System.Diagnostics;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary><c>ghidrainsight up</c> as a child process, stopped with SIGTERM (or killed when disposed).</summary>
internal sealed class UpProcess : IDisposable
{
    private readonly Process _process;

    private UpProcess(Process process) => _process = process;

    public static UpProcess Start(string data, int firstRegionPort)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ghidrainsight.dll"), "up", "--data", data, "--region-port", firstRegionPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(arg);
        }
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new UpProcess(process);
    }

    /// <summary>The first <paramref name="count"/> "REGION ready on URL" lines.</summary>
    public async Task<List<string>> ReadyLinesAsync(int count)
    {
        var lines = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (lines.Count < count && await _process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Contains(" ready on ", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        return lines;
    }

    public int Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return _process.WaitForExit(TimeSpan.FromSeconds(60)) ? _process.ExitCode : -1;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
