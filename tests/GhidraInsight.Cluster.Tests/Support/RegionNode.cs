using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>One region of a <see cref="TestCluster"/>: a real <c>ghidrainsight serve --config</c> process that can be killed and restarted.</summary>
internal sealed partial class RegionNode(string name, string configPath, Uri endpoint, bool isWitness = false) : IRegionUnderTest, IDisposable
{
    /// <summary>A witness votes on who is primary and serves no data API.</summary>
    public bool IsWitness { get; } = isWitness;

    private Process? _process;
    private readonly List<string> _log = [];

    public string Name { get; } = name;
    public string ConfigPath { get; } = configPath;
    public Uri Endpoint { get; } = endpoint;
    public HttpClient Client { get; } = new() { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
    public bool Running => _process is { HasExited: false };

    /// <summary>Variables for the next start (a wrong secret, a faked clock), on top of none of the test's own <c>GHIDRA_*</c>.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The current process id (0 before the first start); changes with each restart.</summary>
    public int Pid => _process?.Id ?? 0;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public async Task StartAsync()
    {
        var start = CliStart.Info("serve", "--config", ConfigPath);
        foreach (var (variable, value) in Environment)
        {
            start.Environment[variable] = value;
        }
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (Listening().IsMatch(line))
            {
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                _process = process;
                return;
            }
        }
        process.Kill();
        throw new InvalidOperationException($"region {Name} did not start: {Log}");
    }

    /// <summary>SIGSTOP: the region freezes (a long GC pause, a stalled VM) without closing anything.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGHUP: the region reloads its configuration.</summary>
    public void Hangup() => Signal("-HUP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("-CONT");

    private void Signal(string signal)
    {
        if (_process is { HasExited: false } p)
        {
            using var kill = Process.Start("kill", [signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    /// <summary>SIGKILL: the region vanishes mid-whatever.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            // A stopped process still dies of SIGKILL; CONT first anyway so nothing lingers half-frozen.
            Resume();
            p.Kill();
            p.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        Client.Dispose();
    }

    [GeneratedRegex("listening on ")]
    private static partial Regex Listening();
}
