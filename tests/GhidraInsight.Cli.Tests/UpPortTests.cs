using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

/// <summary>
/// <c>up</c> checks every port and engine it needs before it starts anything, and says which port is taken and what for, or which
/// Debian packages to install.
/// </summary>
public sealed class UpPortTests
{
    [Theory]
    [InlineData(0, "region us-east-1; choose others with --region-port")]
    [InlineData(2, "region ap-south-1; choose others with --region-port")]
    [InlineData(3, "the gateway; choose another with --port")]
    public async Task APortInUse_StopsUpBeforeAnythingStarts(int offset, string purpose)
    {
        var first = FreeBlock(4);
        using var taken = new TcpListener(IPAddress.Loopback, first + offset);
        taken.Start();
        using var folder = new TempFolder("ghidrainsight-up-ports-");
        var data = folder.Path;

        var run = await CliProcess.RunAsync("up", "--data", data, "--region-port", Text(first), "--port", Text(first + 3));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.Stdout);
        Assert.Equal($"ghidrainsight: port {first + offset} on 127.0.0.1 is in use, and up needs it for {purpose} (or stop what holds it)", Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(data));
    }

    [Fact]
    public void UpOnPostgres_WithoutPatroniOrEtcd_NamesTheDebianPackagesInOneLine_AndStartsNothing()
    {
        using var folder = new TempFolder("ghidrainsight-up-engines-");
        var data = folder.Path;
        // A PATH with Patroni on it but not etcd, then one with neither.
        using var toolFolder = new TempFolder("ghidrainsight-up-path-");
        var tools = toolFolder.Path;
        File.CreateSymbolicLink(Path.Combine(tools, "patroni"), "/usr/bin/true");

        var noEtcd = CliStart.Run(new Dictionary<string, string> { ["PATH"] = tools }, "up", "--storage", "postgres", "--data", data);
        var neither = CliStart.Run(new Dictionary<string, string> { ["PATH"] = Path.Combine(tools, "empty") }, "up", "--storage", "postgres", "--data", data);

        Assert.True(noEtcd.ExitCode == 1, noEtcd.Stderr);
        Assert.Equal("ghidrainsight: up --storage postgres runs PostgreSQL under Patroni and etcd on this machine, and etcd-server is not installed: "
            + "sudo apt-get install etcd-server", noEtcd.Stderr.Trim());
        Assert.True(neither.ExitCode == 1, neither.Stderr);
        Assert.EndsWith("patroni, etcd-server are not installed: sudo apt-get install patroni etcd-server", neither.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(neither.Stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(data));
    }

    [Theory]
    [InlineData("patroni 3.0.2", true)]
    [InlineData("patroni 2.1.7\n", true)]
    [InlineData("patroni 3.0.3", false)]
    [InlineData("patroni 4.1.5", false)]
    [InlineData("", false)]
    public void PatroniBefore303_TalksToEtcdOverItsV2Api(string version, bool v2) =>
        Assert.Equal(v2, GhidraInsight.Cli.Up.PostgresEngines.NeedsEtcdV2(version));

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreeBlock(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20_000, 60_000 - count);
            if (Enumerable.Range(first, count).All(port =>
            {
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }))
            {
                return first;
            }
        }
        throw new InvalidOperationException("no free ports");
    }
}
