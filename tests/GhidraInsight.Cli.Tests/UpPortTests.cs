using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

/// <summary><c>up</c> checks every port it needs before it starts anything, and says which one is taken and what for.</summary>
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
        var data = Directory.CreateTempSubdirectory("ghidrainsight-up-ports-").FullName;

        var run = await CliProcess.RunAsync("up", "--data", data, "--region-port", Text(first), "--port", Text(first + 3));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Empty(run.Stdout);
        Assert.Equal($"ghidrainsight: port {first + offset} on 127.0.0.1 is in use, and up needs it for {purpose} (or stop what holds it)", Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(data));
    }

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
