using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// The failover API on one real region. With a configured peer that never answers there is no majority: no primary can be
/// elected, not even the configured one, so strong writes are refused and no switchover can happen.
/// </summary>
public sealed class FailoverEndpointTests
{
    private const string Secret = "a-shared-secret-of-enough-length";

    [Fact]
    public async Task ARefusedStrongWrite_IsLoggedOnce_WithItsCodeAndTheRequestIdTheClientWasGiven()
    {
        var logs = new CapturedLogs();
        await using var region = await StartElectedAsync(logs: logs);
        var id = await UploadAsync(region);

        using var write = await region.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { name = "x" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        var requestId = write.Headers.GetValues("X-Request-Id").Single();
        var line = Assert.Single(logs.Events, e => e.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.Equal("FailureAnswered", line.Id.Name);
        Assert.Equal($"PUT /api/analyses/{id}/annotations/0x10 answered 503 PRIMARY_UNAVAILABLE (request {requestId})", line.Message);
        Assert.Null(line.Exception);
    }

    [Fact]
    public async Task ConfiguredPrimary_WithoutAMajority_IsNotElected_AndRefusesStrongWrites()
    {
        await using var region = await StartElectedAsync();
        var id = await UploadAsync(region);

        using var write = await region.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { name = "x" });
        var health = JsonNode.Parse(await region.Client.GetStringAsync("health"))!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        var problem = JsonNode.Parse(await write.Content.ReadAsStringAsync())!;
        Assert.Equal("PRIMARY_UNAVAILABLE", (string?)problem["code"]);
        Assert.Equal("No primary region has been elected yet; the write was not accepted.", (string?)problem["title"]);
        Assert.NotNull(write.Headers.RetryAfter);
        Assert.Equal(("replica", null, 0L, false),
            ((string?)health["role"], (string?)health["primary"], (long)health["epoch"]!, (bool)health["accepting_strong_writes"]!));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest, "BAD_INPUT")]
    [InlineData("not json", HttpStatusCode.BadRequest, "BAD_INPUT")]
    [InlineData("{}", HttpStatusCode.BadRequest, "BAD_INPUT")]
    [InlineData("{\"to\":\"mars-1\"}", HttpStatusCode.BadRequest, "UNKNOWN_REGION")]
    [InlineData("{\"to\":\"eu-west-1\"}", HttpStatusCode.ServiceUnavailable, "NO_LEADER")]
    [InlineData("{\"to\":\"us-east-1\"}", HttpStatusCode.ServiceUnavailable, "NO_LEADER")]
    public async Task Failover_BadOrImpossibleRequests_AreClearProblems_AndChangeNothing(string body, HttpStatusCode status, string code)
    {
        await using var region = await StartElectedAsync();

        using var response = await region.Client.PostAsync("api/failover", new StringContent(body, Encoding.UTF8, "application/json"));
        var health = JsonNode.Parse(await region.Client.GetStringAsync("health"))!;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
        Assert.Equal((null, 0L), ((string?)health["primary"], (long)health["epoch"]!));
    }

    [Fact]
    public async Task Failover_WithoutAnElection_Is409()
    {
        await using var region = await TestRegion.StartAsync();

        using var response = await region.Client.PostAsJsonAsync("api/failover", new { to = "eu-west-1" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("FAILOVER_UNAVAILABLE", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    [Fact]
    public async Task Failover_NeedsAnAdminKey()
    {
        await using var region = await StartElectedAsync(new AuthOptions
        {
            ApiKeys = [new ApiKeyOptions { Name = "reader", KeySha256 = Sha256("read-key"), Role = ApiRole.Read }],
        });
        using var reader = region.ClientWithKey("read-key");

        using var anonymous = await region.Client.PostAsJsonAsync("api/failover", new { to = "eu-west-1" });
        using var withReadKey = await reader.PostAsJsonAsync("api/failover", new { to = "eu-west-1" });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withReadKey.StatusCode);
    }

    [Fact]
    public async Task RaftAndInternalFailoverEndpoints_RefuseAnythingNotSignedByAnotherRegion()
    {
        await using var region = await StartElectedAsync();
        var raft = new Uri(region.Host.Address, "cluster-consensus/raft");
        var status = new Uri(region.Host.Address, "api/internal/failover/status");

        using var unsignedRaft = await region.Client.PostAsync(raft, new ByteArrayContent([1, 2, 3]));
        using var forgedRaft = await region.Client.SendAsync(Signed(HttpMethod.Post, raft, [1, 2, 3], "eu-west-1", "another-secret-of-enough-length"));
        using var unknownRaft = await region.Client.SendAsync(Signed(HttpMethod.Post, raft, [1, 2, 3], "xx-north-9", Secret));
        using var unsignedStatus = await region.Client.GetAsync(status);
        using var signedStatus = await region.Client.SendAsync(Signed(HttpMethod.Get, status, [], "eu-west-1", Secret));

        Assert.Equal(HttpStatusCode.Unauthorized, unsignedRaft.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedRaft.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownRaft.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsignedStatus.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedStatus.StatusCode);
        var body = JsonNode.Parse(await signedStatus.Content.ReadAsStringAsync())!;
        Assert.Equal(("us-east-1", "", 0L, false), ((string?)body["region"], (string?)body["primary"], (long)body["epoch"]!, (bool)body["accepting_strong_writes"]!));
    }

    [Fact]
    public async Task RaftEndpoint_RefusesAnOversizedBodyThatAnnouncedNoLength()
    {
        await using var region = await StartElectedAsync();
        // Chunked, so no Content-Length announces the size: the region must stop reading at its limit.
        using var content = new StreamContent(new MemoryStream(new byte[8 << 20]));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(region.Host.Address, "cluster-consensus/raft")) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await region.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("api/conflicts", HttpStatusCode.OK)]
    [InlineData("api/conflicts?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("api/conflicts?limit=1001", HttpStatusCode.BadRequest)]
    [InlineData("api/conflicts?after=abc", HttpStatusCode.BadRequest)]
    public async Task Conflicts_ListsRecords_AndRefusesBadPaging(string path, HttpStatusCode expected)
    {
        await using var region = await TestRegion.StartAsync();

        using var response = await region.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("""{"items":[],"next":null}""", await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>us-east-1 (configured primary) with eu-west-1 configured at a port nothing listens on.</summary>
    private static Task<TestRegion> StartElectedAsync(AuthOptions? auth = null, CapturedLogs? logs = null)
    {
        var (own, peer) = (FreePort(), FreePort());
        return TestRegion.StartAsync(options => options with
        {
            Server = options.Server with { Port = own },
            Auth = auth ?? options.Auth,
            Region = new RegionOptions
            {
                Enabled = true,
                CurrentRegion = "us-east-1",
                Regions = ["us-east-1", "eu-west-1"],
                Endpoints = new Dictionary<string, Uri> { ["us-east-1"] = new($"http://127.0.0.1:{own}"), ["eu-west-1"] = new($"http://127.0.0.1:{peer}") },
                ReplicationEnabled = true,
                ReplicationRegions = ["eu-west-1"],
                Secret = Secret,
                SwitchoverTimeoutSeconds = 2,
            },
        }, logs: logs);
    }

    private static async Task<string> UploadAsync(TestRegion region)
    {
        using var response = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["analysis_id"]!;
    }

    private static HttpRequestMessage Signed(HttpMethod method, Uri uri, byte[] body, string signer, string secret)
    {
        var request = new HttpRequestMessage(method, uri);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body);
        }
        new RegionRequestSigner(signer, secret, TimeProvider.System).Sign(request, body);
        return request;
    }

    private static string Sha256(string key) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
