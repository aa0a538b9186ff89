using System.Diagnostics;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

/// <summary>
/// <c>./ghidrainsight analyze</c> on local files runs the analyser compiled ahead of time (the launcher compiles it on first
/// use). It must be that program the launcher runs, and it must answer exactly as the managed CLI does: same bytes on stdout
/// and stderr, same exit code, for every kind of input and option it takes.
/// </summary>
public sealed class NativeAnalyzeTests
{
    private static readonly string Root = Repository.Root;

    [Fact]
    public async Task LocalAnalyze_RunsTheAheadOfTimeProgram_AndAnswersByteForByteAsTheManagedCli()
    {
        var folder = Samples.NewFolder();
        var aarch64 = Path.Combine(folder, "aarch64");
        File.WriteAllText(Path.Combine(folder, "a.c"), "int f(int x) { return x * 3; }\nint g(int x) { return f(x) + 1; }\nvoid _start(void) { g(2); for (;;); }\n");
        ExternalTool.Run("clang", "--target=aarch64-linux-gnu", "-O1", "-nostdlib", "-fuse-ld=lld", "-o", aarch64, Path.Combine(folder, "a.c"));
        var truncated = Path.Combine(folder, "truncated");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Samples.Program)[..200]);
        var inputs = Path.Combine(folder, "inputs");
        Directory.CreateDirectory(inputs);
        File.Copy(Samples.Program, Path.Combine(inputs, "program"));
        File.WriteAllText(Path.Combine(inputs, "notes.txt"), "not a binary\n");

        // The first call compiles it when needed; then the launcher must replace itself with that program.
        var first = Launch("analyze", Samples.Program);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(Path.Combine(Root, ".build", "native", "ghidrainsight"), ProgramTheLauncherBecomes("analyze", "--json", Samples.Ls));

        string[][] cases =
        [
            ["analyze", Samples.Program],
            ["analyze", "--json", Samples.Program],
            ["analyze", "--json", Samples.Ls],
            ["analyze", "--function", "0x" + FirstFunction(Samples.Program), Samples.Program],
            ["analyze", "--json", "--function", "0x" + FirstFunction(Samples.Program), Samples.Program],
            ["analyze", "--json", aarch64],
            ["analyze", "--function", "0x" + FirstFunction(aarch64), aarch64],
            ["analyze", "--json", inputs, truncated],
            ["analyze", truncated],
            ["analyze", Path.Combine(folder, "missing")],
            ["analyze", "--function", "0x1", Samples.Program],
            ["analyze", "--function", "nothex", Samples.Program],
            ["analyze", "--function", "0x1", Samples.Program, Samples.Ls],
        ];
        foreach (var arguments in cases)
        {
            var managed = await CliProcess.RunAsync(arguments);
            var native = Launch(arguments);
            Assert.True(managed == native, $"ghidrainsight {string.Join(' ', arguments)}\nmanaged: {managed}\nahead of time: {native}");
        }
    }

    [Fact]
    public void OutputToAFullDisk_IsOneLineAndExitCodeOne_InBothPrograms()
    {
        Launch("analyze", Samples.Program);
        var managed = CliStart.Info("analyze", "--json", Samples.Ls);
        foreach (var (program, arguments) in new[] { (managed.FileName, managed.ArgumentList.ToArray()), (Repository.Launcher, new[] { "analyze", "--json", Samples.Ls }) })
        {
            // /dev/full takes nothing: every write fails with "No space left on device".
            var psi = new ProcessStartInfo("sh", ["-c", "exec \"$0\" \"$@\" > /dev/full", program, .. arguments]) { RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var run = new CliRun(process.ExitCode, "", stderr);
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Equal(["ghidrainsight: cannot write the output: No space left on device"], run.ErrorLines);
            run.AssertNoStackTrace();
        }
    }

    [Fact]
    public void AnalyzeWithOtherOptions_RunsTheManagedCli()
    {
        Launch("analyze", Samples.Program);
        Assert.Equal(Path.Combine(Root, ".build", "cli", "ghidrainsight"), ProgramTheLauncherBecomes("analyze", "--server", "http://127.0.0.1:9/", Samples.Ls));
        var help = Launch("analyze", "--help");
        Assert.Contains("--server", help.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The address (hex, no prefix) of the first function the managed CLI lists for <paramref name="path"/>.</summary>
    private static string FirstFunction(string path)
    {
        var json = System.Text.Json.JsonDocument.Parse(CliStart.Run(null, "analyze", "--json", path).Stdout);
        return json.RootElement.GetProperty("functions")[0].GetProperty("address").GetString()![2..];
    }

    /// <summary>The program the launcher's process runs once it has replaced itself (read from /proc while it runs).</summary>
    private static string ProgramTheLauncherBecomes(params string[] arguments)
    {
        using var process = Process.Start(LauncherProcess.Info(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        string? seen = null;
        while (!process.HasExited)
        {
            try
            {
                var exe = new FileInfo($"/proc/{process.Id}/exe").LinkTarget;
                // #!/usr/bin/env bash: env, then bash, then what the launcher execs.
                if (exe is not null && !exe.EndsWith("/env", StringComparison.Ordinal) && !exe.EndsWith("/bash", StringComparison.Ordinal))
                {
                    seen = exe;
                    break;
                }
            }
            catch (IOException)
            {
                // The process ended between the check and the read.
            }
            Thread.Sleep(1);
        }
        process.WaitForExit();
        Assert.True(seen is not null, "the launcher ended before it could be seen running another program: " + stderr.Result);
        _ = stdout.Result;
        return seen!;
    }

    /// <summary>The launcher's answer, without what it says while it builds (not the command's answer).</summary>
    private static CliRun Launch(params string[] arguments)
    {
        var run = LauncherProcess.Run(arguments);
        var said = string.Join('\n', run.Stderr.Split('\n').Where(l => !l.StartsWith("ghidrainsight: building", StringComparison.Ordinal)
            && !l.StartsWith("ghidrainsight: compiling the analyser", StringComparison.Ordinal)));
        return run with { Stderr = said };
    }
}
