using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Http.Tls;
using GhidraInsight.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// <c>up --tls</c>: the whole path over TLS on this machine, from certificates it makes under DATA/tls. Clients reach the gateway
/// and the regions over HTTPS (HTTP/2) trusting only that CA; the regions replicate, forward strong writes and elect their primary
/// (Raft) over mutual TLS; plain HTTP is not served.
/// </summary>
public sealed class TlsUpTests
{
    [Fact]
    public async Task UpWithTls_ServesEverythingOverHttps_AndTheRegionsTalkOverMutualTls()
    {
        using var folder = new TempFolder("ghidrainsight-up-tls-");
        var port = FreePorts.ConsecutiveBlock(4);
        using var up = UpProcess.Start(folder.Path, port, false, "--tls");
        var lines = await up.LinesUntilUpAsync();
        Assert.StartsWith($"GhidraInsight is up at https://127.0.0.1:{port + 3}/ (the gateway): 3 regions, primary us-east-1", lines[^1], StringComparison.Ordinal);
        var ca = Path.Combine(folder.Path, "tls", "ca.crt");
        using var gateway = Client(ca, port + 3);

        // An upload through the gateway, an annotation sent to a replica (forwarded to the primary), both replicated everywhere.
        using var upload = await gateway.PostAsync("api/analyze", ReplicationTests.Binary(Samples.ProgramElf));
        Assert.Equal(HttpVersion.Version20, upload.Version);
        var id = (string)JsonNode.Parse(await upload.Content.ReadAsStringAsync())!["analysis_id"]!;
        using var replica = Client(ca, port + 1);
        using var annotated = await replica.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { name = "over_tls" });
        Assert.Equal(HttpStatusCode.Created, annotated.StatusCode);
        using var south = Client(ca, port + 2);
        Assert.True(await TestCluster.EventuallyAsync(async () => (await south.GetAsync($"api/analyses/{id}/annotations/0x10")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(20)));
        // The audit entry of that write, recorded once by the primary that took it, replicated to every region.
        JsonArray? trail = null;
        Assert.True(await TestCluster.EventuallyAsync(async () =>
        {
            trail = JsonNode.Parse(await south.GetStringAsync("api/audit"))!["items"]!.AsArray();
            return trail.Any(e => (string?)e!["target"] == $"/api/analyses/{id}/annotations/0x10");
        }, TimeSpan.FromSeconds(20)), trail?.ToJsonString());
        var recorded = Assert.Single(trail!, e => (string?)e!["target"] == $"/api/analyses/{id}/annotations/0x10")!;
        Assert.Equal(("us-east-1", 201), ((string)recorded["region"]!, (int)recorded["result"]!));

        // The CLI trusts the CA through SSL_CERT_FILE, as the README says.
        var (exit, output, _) = CliStart.Run(new Dictionary<string, string> { ["SSL_CERT_FILE"] = ca }, "regions", "--url", $"https://127.0.0.1:{port + 3}");
        Assert.Equal(0, exit);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(": ✓ (", StringComparison.Ordinal)));

        // Nothing answers plain HTTP, and a client that does not trust the CA does not get through.
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + 3}/"), Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("health"));
        using var untrusting = new HttpClient { BaseAddress = new Uri($"https://127.0.0.1:{port + 3}/"), Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => untrusting.GetAsync("health"));
        Assert.Equal(0, up.Terminate());
    }

    private static HttpClient Client(string ca, int port) =>
        new(new PeerTls(ca, null, null, NullLogger.Instance).Apply(new SocketsHttpHandler()))
        {
            BaseAddress = new Uri($"https://127.0.0.1:{port}/"),
            DefaultRequestVersion = HttpVersion.Version20,
        };
}
