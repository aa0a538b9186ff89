using System.Net;
using System.Net.Http.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Hosting;
using GhidraInsight.Gateway.Tests.Support;

namespace GhidraInsight.Gateway.Tests;

/// <summary>The gateway's security rules: loopback unless it has keys; with keys, every request needs one of the role the regions ask.</summary>
public sealed class SecurityTests
{
    private const string ReadKey = "read-key-0123456789";
    private const string AnnotateKey = "annotate-key-0123456789";
    private const string AdminKey = "admin-key-0123456789";

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.0.2.10")]
    public void APublicAddressWithoutKeys_IsRefusedWithOneLine(string host)
    {
        var options = new GhidraOptions { Gateway = new GatewayOptions { Host = host, AllowInsecureHttp = true } };

        var error = Assert.Throws<ConfigurationException>(() => GatewayHost.RequireKeysBeyondLoopback(options));

        var line = Assert.Single(error.Errors);
        Assert.Contains("gateway.host", line, StringComparison.Ordinal);
        Assert.Contains("API keys", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public void Loopback_NeedsNoKeys(string host) =>
        GatewayHost.RequireKeysBeyondLoopback(new GhidraOptions { Gateway = new GatewayOptions { Host = host } });

    [Fact]
    public async Task WithKeys_EveryForwardedRequestNeedsAKeyOfTheRoleTheRegionsAsk_AndTheKeyPassesThrough()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with
        {
            Auth = new AuthOptions
            {
                ApiKeys =
                [
                    Key("reader", ReadKey, ApiRole.Read),
                    Key("annotator", AnnotateKey, ApiRole.Annotate),
                    Key("admin", AdminKey, ApiRole.Admin),
                ],
            },
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(gateway, HttpMethod.Get, "api/analyses/x", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(gateway, HttpMethod.Get, "api/analyses/x", key: "not-a-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(gateway, HttpMethod.Get, "api/regions", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(gateway, HttpMethod.Get, "metrics", key: null)).StatusCode);
        Assert.All(gateway.Regions, r => Assert.Empty(r.Requests));

        Assert.Equal(HttpStatusCode.OK, (await Send(gateway, HttpMethod.Get, "api/analyses/x", ReadKey)).StatusCode);
        Assert.Equal(ReadKey, gateway["a"].Requests.Single().Headers["X-API-Key"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(gateway, HttpMethod.Post, "api/analyze", ReadKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(gateway, HttpMethod.Put, "api/analyses/x/annotations/0x10", ReadKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(gateway, HttpMethod.Put, "api/analyses/x/annotations/0x10", AnnotateKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(gateway, HttpMethod.Delete, "api/analyses/x", AnnotateKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(gateway, HttpMethod.Post, "api/failover", AnnotateKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(gateway, HttpMethod.Post, "api/failover", AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(gateway, HttpMethod.Get, "api/regions", ReadKey)).StatusCode);

        // What a load balancer polls stays open.
        Assert.Equal(HttpStatusCode.OK, (await Send(gateway, HttpMethod.Get, "health", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(gateway, HttpMethod.Get, "health/live", key: null)).StatusCode);
    }

    [Fact]
    public async Task ForwardedRequests_CarryWhereTheyCameFrom_AndTheClientsOwnHeaders()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/analyses/x?limit=5");
        request.Headers.Add("X-Request-Id", "abc-123");
        using var response = await gateway.Client.SendAsync(request);

        var received = gateway["a"].Requests.Single();
        Assert.Equal("/api/analyses/x?limit=5", received.Path);
        Assert.Equal("abc-123", received.Headers["X-Request-Id"]);
        Assert.Equal("127.0.0.1", received.Headers["X-Forwarded-For"]);
    }

    private static ApiKeyOptions Key(string name, string key, ApiRole role) => new() { Name = name, KeySha256 = ConfigLoader.HashApiKey(key), Role = role };

    private static async Task<HttpResponseMessage> Send(TestGateway gateway, HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            request.Content = JsonContent.Create(new { name = "n" });
        }
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        return await gateway.Client.SendAsync(request);
    }
}
