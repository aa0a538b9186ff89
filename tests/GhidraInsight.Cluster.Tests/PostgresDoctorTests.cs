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
        using var folder = new PostgresUpFolder("ghidrainsight-doctor-postgres-");
        var port = FreePorts.ConsecutiveBlockWithOffsets(4, 100, 200, 300, 400);
        var patroni = Path.Combine(folder.Postgres, "us-east-1.patroni.yml");
        using var up = UpProcess.Start(folder.Path, port, ownProcessGroup: true, "--storage", "postgres");
        try
        {
            await BreakAndCheckAsync(up, port, folder.Postgres, patroni);
        }
        finally
        {
            // Paused, Patroni would leave its database running when up stops it.
            ExternalTool.RunWithExit("patronictl", ["-c", patroni, "resume"], out _);
        }
    }

    private static async Task BreakAndCheckAsync(UpProcess up, int port, string postgres, string patroni)
    {
        var lines = await up.LinesUntilUpAsync();
        Assert.True(lines.Count > 0 && lines[^1].StartsWith("GhidraInsight is up at ", StringComparison.Ordinal), string.Join('\n', lines) + "\n" + up.Stderr);
        var gateway = $"http://127.0.0.1:{port + 3}/";

        var healthy = await DoctorTests.HealthyAsync(gateway);
        // Whichever member bootstrapped leads: a first start only records primary_region, and under load that need not be us-east-1.
        var leader = Regex.Match(Assert.Single(healthy, l => l.StartsWith("✓ consensus leader: ", StringComparison.Ordinal)),
            "^✓ consensus leader: Patroni leader ([a-z0-9-]+), known to every region$").Groups[1].Value;
        Assert.Contains(leader, new[] { "us-east-1", "eu-west-1", "ap-south-1" });
        Assert.Contains("✓ database roles: every database's role is the one Patroni gives it", healthy);

        // Without pg_rewind allowed Patroni leaves a database promoted by hand as it is while paused; with it, a member whose
        // rewind check is still pending would stop that database, rewind it and start it as a replica again (under load that
        // happened before doctor looked). pause --wait returns once every member has the paused configuration, this change with it.
        ExternalTool.Run("patronictl", "-c", patroni, "edit-config", "--force", "-s", "postgresql.use_pg_rewind=false");
        ExternalTool.Run("patronictl", "-c", patroni, "pause", "--wait");
        await DoctorTests.FailingLineAsync(gateway, "database roles", "Patroni is paused (maintenance mode)");

        // Behind the paused Patroni, a standby promoted by hand: two primaries, one of them not Patroni's.
        var standby = new[] { "us-east-1", "eu-west-1", "ap-south-1" }.First(r => r != leader);
        var promote = new List<string> { Path.Combine(PostgresPrograms.Folder()!, "pg_ctl"), "promote", "-D", Path.Combine(postgres, $"{standby}.pg") };
        if (Environment.UserName == "root")
        {
            promote.InsertRange(0, ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]);
        }
        ExternalTool.Run(promote[0], [.. promote.Skip(1)]);
        var line = await DoctorTests.FailingLineAsync(gateway, "database roles", $"{standby}'s database runs as primary but Patroni has it as replica");
        Assert.Contains($"{string.Join(", ", new[] { standby, leader }.Order(StringComparer.Ordinal))} both run as primary databases", line, StringComparison.Ordinal);
    }
}
