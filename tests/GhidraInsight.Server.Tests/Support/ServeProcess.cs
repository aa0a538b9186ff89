using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>A real <c>ghidrainsight serve</c> child process on a free port; killed (SIGKILL) when disposed if still running.</summary>
internal sealed partial class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

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

    /// <summary>Starts <c>serve</c> with the arguments and waits for its "listening on" line.</summary>
    public static ServeProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = Launch(environment, ["serve", .. args]);
        var seen = new List<string>();
        var match = Match.Empty;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!match.Success)
        {
            string? line;
            try
            {
                line = process.StandardOutput.ReadLineAsync(deadline.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                line = null;
            }
            if (line is null)
            {
                process.Kill();
                process.WaitForExit();
                throw new InvalidOperationException($"serve did not start: {string.Join(" | ", seen)} {process.StandardError.ReadToEnd()}");
            }
            seen.Add(line);
            match = Listening().Match(line);
        }
        var serve = new ServeProcess(process, new Uri(match.Groups[1].Value));
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (serve._stderr)
                {
                    serve._stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>Runs the CLI to completion: exit code, stdout, stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        CliStart.Run(environment, args);

    /// <summary>SIGKILL: no cleanup, no flush — what a crash or an OOM kill does.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as an orchestrator stops a pod; returns the exit code.</summary>
    public int Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("serve did not stop on SIGTERM");
        }

        // The timed wait does not wait for the redirected output; this one does, so Stderr holds every line.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private static Process Launch(IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var psi = CliStart.Info(args);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        var process = Process.Start(psi)!;
        process.StandardInput.Close();
        return process;
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex Listening();
}
