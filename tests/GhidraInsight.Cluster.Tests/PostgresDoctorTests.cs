using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GhidraInsight.Cluster.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// <c>ghidrainsight doctor</c> on <c>ghidrainsight up --storage postgres</c>: Patroni is the consensus, every database's role is
/// the one Patroni records, and a database promoted by hand behind a paused Patroni fails the roles line.
/// </summary>
public sealed class PostgresDoctorTests
{
    [Fact]
    public async Task OnPostgres_PatroniLeadsAndTheRolesAgree_AndADatabasePromotedByHandFailsTheRolesLine()
    {
        using var folder = new TempFolder("ghidrainsight-doctor-postgres-");
        var data = folder.Path;
        // As root, PostgreSQL runs as the postgres user, who must be able to reach the data folder (temporary folders are 0700).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        }
        var port = FreePorts.ConsecutiveBlockWithOffsets(4, 100, 200, 300, 400);
        var postgres = Path.Combine(data, "postgres");
        var patroni = Path.Combine(postgres, "us-east-1.patroni.yml");
        try
        {
            using var up = UpProcess.Start(data, port, ownProcessGroup: true, "--storage", "postgres");
            try
            {
                await BreakAndCheckAsync(up, port, postgres, patroni);
            }
            finally
            {
                // Paused, Patroni would leave its database running when up stops it.
                Run(["patronictl", "-c", patroni, "resume"], mustSucceed: false);
            }
        }
        finally
        {
            foreach (var pidFile in Directory.Exists(postgres) ? Directory.GetFiles(postgres, "postmaster.pid", SearchOption.AllDirectories) : [])
            {
                using var kill = Process.Start("kill", ["-KILL", File.ReadLines(pidFile).First()]);
                kill.WaitForExit();
            }
        }
    }

    private static async Task BreakAndCheckAsync(UpProcess up, int port, string postgres, string patroni)
    {
        var lines = await up.LinesUntilUpAsync();
        Assert.True(lines.Count > 0 && lines[^1].StartsWith("GhidraInsight is up at ", StringComparison.Ordinal), string.Join('\n', lines) + "\n" + up.Stderr);
        var gateway = $"http://127.0.0.1:{port + 3}/";

        var healthy = await DoctorTests.HealthyAsync(gateway);
        // The leader is the configured us-east-1 once its switchover is done; under load another member may lead until then.
        var leader = Regex.Match(Assert.Single(healthy, l => l.StartsWith("✓ consensus leader: ", StringComparison.Ordinal)),
            "^✓ consensus leader: Patroni leader ([a-z0-9-]+), known to every region$").Groups[1].Value;
        Assert.Contains(leader, new[] { "us-east-1", "eu-west-1", "ap-south-1" });
        Assert.Contains("✓ database roles: every database's role is the one Patroni gives it", healthy);

        Run("patronictl", "-c", patroni, "pause", "--wait");
        await DoctorTests.FailingLineAsync(gateway, "database roles", "Patroni is paused (maintenance mode)");

        // Behind the paused Patroni, a standby promoted by hand: two primaries, one of them not Patroni's.
        var standby = new[] { "us-east-1", "eu-west-1", "ap-south-1" }.First(r => r != leader);
        var promote = new List<string> { PgCtl(), "promote", "-D", Path.Combine(postgres, $"{standby}.pg") };
        if (Environment.UserName == "root")
        {
            promote.InsertRange(0, ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]);
        }
        Run([.. promote]);
        var line = await DoctorTests.FailingLineAsync(gateway, "database roles", $"{standby}'s database runs as primary but Patroni has it as replica");
        Assert.Contains($"{string.Join(", ", new[] { standby, leader }.Order(StringComparer.Ordinal))} both run as primary databases", line, StringComparison.Ordinal);
    }

    private static string PgCtl() =>
        Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).Where(File.Exists).OrderDescending().First();

    private static void Run(params string[] command) => Run(command, mustSucceed: true);

    private static void Run(string[] command, bool mustSucceed)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"{string.Join(' ', command)} did not finish in a minute");
        process.WaitForExit();
        Assert.True(!mustSucceed || process.ExitCode == 0,
            $"{string.Join(' ', command)} exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {output.Result}{errors.Result}");
    }
}
