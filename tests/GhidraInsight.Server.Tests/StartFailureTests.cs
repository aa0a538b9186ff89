using System.Net;
using System.Net.Sockets;
using GhidraInsight.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Tests;

public sealed class StartFailureTests
{
    // A region of several, so its multi-region background services run too.
    [Fact]
    public async Task ARegionThatCannotListen_StopsWhatItStarted_AndLogsNoCrashAboveTheReason()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var logs = new CapturedLogs();

        var failure = await Assert.ThrowsAnyAsync<IOException>(() => SignedBatches.StartUsEastAsync(o => o with { Server = o.Server with { Port = port } }, logs));

        Assert.Contains("address already in use", failure.Message, StringComparison.Ordinal);
        // The background services (replication, the lag sampler, the audit writer…) were running before the bind failed; a
        // cancelled one is reported by the host after the start returned, so give it the time to say so.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(logs.Events.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Level}: {e.Message}"));
    }

    [Fact]
    public async Task ASecondRegionOnTheSameDataFolder_StopsBeforeOpeningIt_AndTheFirstKeepsServing()
    {
        using var data = new TempFolder("ghidrainsight-shared-");
        var first = await TestRegion.StartAsync(dataDir: data.Path);
        await using (first)
        {
            var failure = await Assert.ThrowsAnyAsync<IOException>(() => TestRegion.StartAsync(dataDir: data.Path));
            Assert.Contains("is in use by another ghidrainsight region", failure.Message, StringComparison.Ordinal);
            Assert.Contains(data.Path, failure.Message, StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await first.Client.GetAsync("health")).StatusCode);
        }

        // Released with the region that held it.
        await using var again = await TestRegion.StartAsync(dataDir: data.Path);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await again.Client.GetAsync("health")).StatusCode);
    }
}
