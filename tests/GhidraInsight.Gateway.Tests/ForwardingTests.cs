using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GhidraInsight.Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Gateway.Tests;

/// <summary>
/// What the gateway does with each answer a region gives: which are relayed, which are tried on the next region, and what a
/// client gets when none serves. Regions a, b, c; a is primary and first in order.
/// </summary>
public sealed class ForwardingTests
{
    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task ARead_AnsweredWithAGatewayError_IsTriedOnTheNextRegion(int status)
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Answer(status);

        using var response = await gateway.Client.GetAsync("api/analyses/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", ServedBy(response));
        Assert.Single(gateway["a"].Requests);
        Assert.Single(gateway["b"].Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    [InlineData(429)]
    public async Task ARead_AnsweredWithAnyOtherError_IsRelayedAsItIs(int status)
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Answer(status, ("Retry-After", "7"));

        using var response = await gateway.Client.GetAsync("api/analyses/x");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("a", ServedBy(response));
        Assert.Equal("7", response.Headers.RetryAfter?.ToString());
        Assert.Empty(gateway["b"].Requests);
    }

    [Fact]
    public async Task AnUpload_ToARegionThatDropsTheConnection_ReachesTheNextWithTheSameBytes()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Handler = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        using var response = await gateway.Client.PostAsync("api/analyze", new ByteArrayContent(bytes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", ServedBy(response));
        Assert.Equal(bytes, gateway["a"].Requests.Single().Body);
        Assert.Equal(bytes, gateway["b"].Requests.Single().Body);
        // A transport failure takes the region out at once, before any probe.
        var regions = JsonNode.Parse(await gateway.Client.GetStringAsync("api/regions"))!;
        Assert.False((bool)regions["a"]!["healthy"]!);
        Assert.StartsWith("a request failed", (string?)regions["a"]!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegionThatStoppedListening_IsRoutedAround_AndOutWithoutAProbe()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway["a"].StopAsync();

        using var response = await gateway.Client.GetAsync("api/analyses/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", ServedBy(response));
        using var next = await gateway.Client.GetAsync("api/analyses/x");
        Assert.Equal("b", ServedBy(next));
        var health = JsonNode.Parse(await gateway.Client.GetStringAsync("health"))!;
        Assert.Equal(["b", "c"], health["serving"]!.AsArray().Select(r => (string?)r));
        Assert.NotNull((string?)health["out"]!["a"]);
    }

    [Fact]
    public async Task AnAnswerThatBreaksOff_IsReadAgainFromTheNextRegion_BeforeTheClientSeesAByte()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Handler = async context =>
        {
            context.Response.ContentLength = 100_000;
            await context.Response.Body.WriteAsync(new byte[10_000]);
            await context.Response.Body.FlushAsync();
            context.Abort();
        };
        var whole = RandomNumberGenerator.GetBytes(100_000);
        gateway["b"].Handler = context => context.Response.Body.WriteAsync(whole).AsTask();

        using var response = await gateway.Client.GetAsync("api/analyses/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", ServedBy(response));
        Assert.Equal(whole, await response.Content.ReadAsByteArrayAsync());
        Assert.False((bool)JsonNode.Parse(await gateway.Client.GetStringAsync("api/regions"))!["a"]!["healthy"]!);
    }

    [Fact]
    public async Task AnAnswerAlreadyStreamingToTheClient_IsNeverRetried()
    {
        await using var gateway = await TestGateway.StartAsync();
        // No Content-Length: streamed through as it comes, so the client has the first bytes when the region dies.
        gateway["a"].Handler = async context =>
        {
            await context.Response.Body.WriteAsync(new byte[10_000]);
            await context.Response.Body.FlushAsync();
            // Long enough for the gateway to pass the first bytes on to the client.
            await Task.Delay(300);
            context.Abort();
        };

        using var response = await gateway.Client.GetAsync("api/analyses/x", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("a", ServedBy(response));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
        Assert.Empty(gateway["b"].Requests);
    }

    [Fact]
    public async Task AStrongWrite_RefusedUntaken_IsSentToTheNextRegion()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Answer(503, ("X-Ghidra-Write-Taken", "false"));

        using var response = await gateway.Client.PutAsJsonAsync("api/analyses/x/annotations/0x10", new { name = "n" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", ServedBy(response));
        Assert.Equal(gateway["a"].Requests.Single().Body, gateway["b"].Requests.Single().Body);
    }

    [Fact]
    public async Task AStrongWrite_Refused503WithoutSayingItWasNotTaken_IsRelayedAndNotSentAgain()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Answer(503);

        using var response = await gateway.Client.PutAsJsonAsync("api/analyses/x/annotations/0x10", new { name = "n" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("a", ServedBy(response));
        Assert.Empty(gateway["b"].Requests);
        Assert.Empty(gateway["c"].Requests);
    }

    [Fact]
    public async Task AStrongWrite_WhoseRegionDiesWithIt_GetsA503ThatSaysItMayHaveBeenStored_AndIsNotResent()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Handler = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };

        using var response = await gateway.Client.DeleteAsync("api/analyses/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("PRIMARY_UNAVAILABLE", (string?)problem["code"]);
        Assert.Contains("may or may not", (string?)problem["title"], StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(gateway["b"].Requests);
    }

    [Fact]
    public async Task WhenNoRegionServes_A503ProblemSaysWhichWereTriedAndWhenToComeBack()
    {
        await using var gateway = await TestGateway.StartAsync();
        foreach (var region in gateway.Regions)
        {
            await region.StopAsync();
        }

        using var response = await gateway.Client.GetAsync("api/analyses/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("NO_REGION_AVAILABLE", (string?)problem["code"]);
        foreach (var name in new[] { "a", "b", "c" })
        {
            Assert.Contains(name + " (", (string?)problem["detail"], StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.Client.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task ARegionThatNeverAcceptsTheConnection_IsGivenUpAfterTheConnectTimeout()
    {
        // A listener whose backlog is full: the kernel drops further connection attempts, so a connect hangs, as to a host that
        // vanished from the network.
        using var blackhole = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        blackhole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blackhole.Listen(0);
        var port = ((IPEndPoint)blackhole.LocalEndPoint!).Port;
        var fillers = new List<System.Net.Sockets.Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            _ = filler.ConnectAsync(IPAddress.Loopback, port);
            fillers.Add(filler);
        }
        await Task.Delay(200);
        await using var gateway = await TestGateway.StartAsync(o => o with
        {
            Region = o.Region with { Endpoints = new Dictionary<string, Uri>(o.Region.Endpoints) { ["c"] = new($"http://127.0.0.1:{port}") } },
        }, probeIntervalMs: 1000);
        gateway["a"].Answer(503);
        gateway["b"].Answer(503);
        var started = System.Diagnostics.Stopwatch.StartNew();

        // a and b refuse; c, out of rotation since its first probe timed out, is the last resort, and its connect never completes.
        using var response = await gateway.Client.GetAsync("api/analyses/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("c (", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"], StringComparison.Ordinal);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        foreach (var filler in fillers)
        {
            filler.Dispose();
        }
    }

    [Fact]
    public async Task TheRetryBudget_BoundsHowManyRegionsOneRequestReaches()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { Gateway = o.Gateway with { RetryBudget = 1 } });
        foreach (var region in gateway.Regions)
        {
            region.Answer(503);
        }

        using var response = await gateway.Client.GetAsync("api/analyses/x");

        // The last region tried is relayed as it answered.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("b", ServedBy(response));
        Assert.Equal(2, gateway.Regions.Sum(r => r.Requests.Count));
    }

    [Fact]
    public async Task StrongWrites_GoToThePrimaryOfTheHighestEpoch()
    {
        await using var gateway = await TestGateway.StartAsync(probeIntervalMs: 100);
        // c was promoted at epoch 2; a still reports itself at epoch 1 (it has not heard yet).
        gateway["c"].Reports = ("c", 2);
        gateway["b"].Reports = ("c", 2);
        Assert.True(await Eventually(async () => (string?)JsonNode.Parse(await gateway.Client.GetStringAsync("health"))!["primary"] == "c"));

        using var write = await gateway.Client.PutAsJsonAsync("api/analyses/x/annotations/0x10", new { name = "n" });
        using var read = await gateway.Client.GetAsync("api/analyses/x");

        Assert.Equal("c", ServedBy(write));
        Assert.Equal("a", ServedBy(read));
        var regions = JsonNode.Parse(await gateway.Client.GetStringAsync("api/regions"))!;
        Assert.Equal("primary", (string?)regions["c"]!["role"]);
        Assert.Equal("replica", (string?)regions["a"]!["role"]);
        Assert.Equal(2, (long)regions["c"]!["epoch"]!);
    }

    [Fact]
    public async Task AStrongRead_GoesToThePrimaryOnly_AndIsRefusedWhileThePrimaryIsOut()
    {
        await using var gateway = await TestGateway.StartAsync(names: ["x", "y", "p"]);
        foreach (var region in gateway.Regions)
        {
            region.Reports = ("p", 3);
        }
        await gateway.Host.ProbeNowAsync();

        using var strong = new HttpRequestMessage(HttpMethod.Get, "api/analyses/x");
        strong.Headers.Add("X-Consistency", "strong");
        using var served = await gateway.Client.SendAsync(strong);
        Assert.Equal("p", ServedBy(served));

        gateway["p"].HealthStatus = 503;
        await gateway.Host.ProbeNowAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, "api/analyses/x");
        again.Headers.Add("X-Consistency", "strong");
        using var refused = await gateway.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("PRIMARY_UNAVAILABLE", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Single(gateway["p"].Requests);
        Assert.Empty(gateway["x"].Requests);
        Assert.Empty(gateway["y"].Requests);
    }

    [Fact]
    public async Task AClientRegionHint_IsHonouredWhileHealthy_AndIgnoredOtherwise()
    {
        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal("c", ServedBy(await Hinted(gateway, "c")));
        Assert.Equal("a", ServedBy(await Hinted(gateway, "nowhere")));

        gateway["c"].HealthStatus = 503;
        await gateway.Host.ProbeNowAsync();
        Assert.Equal("a", ServedBy(await Hinted(gateway, "c")));
    }

    [Fact]
    public async Task InterRegionEndpoints_AreNotForwarded()
    {
        await using var gateway = await TestGateway.StartAsync();
        foreach (var path in new[] { "api/replicate", "api/replicate/x", "api/internal/binaries/abc", "cluster-consensus/append-entries", "API/Replicate" })
        {
            using var response = await gateway.Client.PostAsync(path, new ByteArrayContent([1]));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using var get = await gateway.Client.GetAsync("api/internal/binaries/abc");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.All(gateway.Regions, r => Assert.Empty(r.Requests));
    }

    [Fact]
    public async Task ABodyOverTheUploadLimit_Gets413_AndReachesNoRegion()
    {
        await using var gateway = await TestGateway.StartAsync();

        // As curl sends a large body: the client waits for 100 Continue, so the early 413 reaches it instead of a broken pipe
        // while it is still writing a body the gateway will never read (which failed this test on a loaded machine).
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/analyze") { Content = new ByteArrayContent(new byte[(2 << 20) + 10]) };
        request.Headers.ExpectContinue = true;
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("FILE_TOO_LARGE", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
        Assert.All(gateway.Regions, r => Assert.Empty(r.Requests));
    }

    [Fact]
    public async Task ARegionBack_ReturnsAfterConsecutiveGoodProbes()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { Gateway = o.Gateway with { SuccessThreshold = 3 } });
        gateway["a"].HealthStatus = 503;
        await gateway.Host.ProbeNowAsync();
        gateway["a"].HealthStatus = 200;

        for (var probe = 1; probe <= 3; probe++)
        {
            Assert.Equal("b", ServedBy(await gateway.Client.GetAsync("api/analyses/x")));
            await gateway.Host.ProbeNowAsync();
        }

        Assert.Equal("a", ServedBy(await gateway.Client.GetAsync("api/analyses/x")));
    }

    private static async Task<HttpResponseMessage> Hinted(TestGateway gateway, string region)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/analyses/x");
        request.Headers.Add("X-Client-Region", region);
        return await gateway.Client.SendAsync(request);
    }

    internal static string? ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Ghidra-Served-By", out var values) ? values.Single() : null;

    internal static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
