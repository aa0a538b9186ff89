using System.Diagnostics;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary><c>ghidrainsight up</c> as a child process, stopped with SIGTERM (or killed when disposed).</summary>
internal sealed class UpProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];
    private bool _disposed;

    private UpProcess(Process process) => _process = process;

    /// <param name="ownProcessGroup">
    /// Run under <c>setsid</c>, so <see cref="InterruptGroup"/> can send SIGINT to up and its regions at once, as a terminal's
    /// Ctrl+C does.
    /// </param>
    /// <param name="extra">More arguments for up (<c>--storage postgres</c>).</param>
    public static UpProcess Start(string data, int firstRegionPort, bool ownProcessGroup = false, params string[] extra)
    {
        // The gateway on the port after the three regions' (tests take a block of four).
        var psi = CliStart.Info(["up", "--data", data, "--region-port", firstRegionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--port", (firstRegionPort + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra]);
        if (ownProcessGroup)
        {
            // Not a group leader, so setsid execs in place: the process id stays up's own, and it leads the new group.
            psi.ArgumentList.Insert(0, psi.FileName);
            psi.FileName = "setsid";
        }
        var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var up = new UpProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (up._stderr)
                {
                    up._stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return up;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>The region processes up started (Linux: from /proc).</summary>
    public IReadOnlyList<int> ChildPids() =>
    [
        .. Directory.GetDirectories($"/proc/{_process.Id}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse),
    ];

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

    /// <summary>Every stdout line up to and including up's "GhidraInsight is …" line (the one that says whether it is up).</summary>
    public async Task<List<string>> LinesUntilUpAsync()
    {
        var lines = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await _process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("GhidraInsight is ", StringComparison.Ordinal))
            {
                break;
            }
        }
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        return lines;
    }

    /// <summary>SIGINT to up's whole process group (started with <c>ownProcessGroup</c>); its exit code.</summary>
    public int InterruptGroup()
    {
        Signal("INT", "-" + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return WaitForExit();
    }

    /// <summary>SIGHUP to up: it passes it on to every region and the gateway, which re-read their configuration.</summary>
    public void Hangup() => Signal("HUP");

    /// <summary>SIGUSR1 to up: it starts again every region (and the gateway) whose process exited.</summary>
    public void RestartExited() => Signal("USR1");

    public int Terminate()
    {
        Signal("TERM");
        return WaitForExit();
    }

    /// <summary>Sends SIGname to up (or to <paramref name="target"/>, such as its process group), as an operator's kill does.</summary>
    private void Signal(string name, string? target = null)
    {
        using var kill = Process.Start("kill", ["-" + name, "--", target ?? _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The exit code within a minute (-1 otherwise), once every line up wrote to stderr has been read.</summary>
    private int WaitForExit()
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            return -1;
        }

        // The timed wait does not wait for the redirected output; this one does.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>
    /// Stops up as an operator would (SIGTERM: it stops what it started, databases included) and kills what is left after a
    /// minute, so a failed test leaves nothing running.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            if (!_process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        _process.Dispose();
    }
}
