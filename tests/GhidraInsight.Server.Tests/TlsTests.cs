using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Tls;
using GhidraInsight.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// TLS with real handshakes on loopback: a region serving HTTPS (HTTP/2 and HTTP/1.1) from PEM files it reloads when they change,
/// peers verified against the deployment's CA (a wrong CA, an expired certificate and a missing client certificate each refused
/// with a line that says why), and mutual TLS on the inter-region endpoints only.
/// </summary>
public sealed class TlsTests
{
    [Fact]
    public async Task ARegionWithACertificate_ServesHttp2AndHttp11_ToAClientThatTrustsItsCa()
    {
        using var pki = new TestPki();
        var (certificate, key, _) = pki.Issue();
        await using var region = await TestRegion.StartAsync(o => o with { Server = o.Server with { TlsCertFile = certificate, TlsKeyFile = key } });
        using var client = new HttpClient(new PeerTls(pki.CaFile, null, null, NullLogger()).Apply(new SocketsHttpHandler())) { BaseAddress = region.Host.Address };

        Assert.Equal("https", region.Host.Address.Scheme);
        foreach (var version in new[] { HttpVersion.Version20, HttpVersion.Version11 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "health") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Version);
        }
        using var upload = await client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
    }

    [Fact]
    public async Task ACertificateRotatedWhileRequestsRun_IsServedFromTheNextHandshakes_AndNoRequestFails()
    {
        using var pki = new TestPki();
        var (certificate, key, first) = pki.Issue();
        var logs = new CapturedLogs();
        await using var region = await TestRegion.StartAsync(o => o with { Server = o.Server with { TlsCertFile = certificate, TlsKeyFile = key } }, logs: logs);
        var seen = new List<string>();
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();
        var requests = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A new connection each time, so every request makes its own handshake.
                string? serial = null;
                using var handler = new SocketsHttpHandler();
                handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                {
                    serial = presented is null ? null : X509CertificateLoader.LoadCertificate(presented.GetRawCertData()).SerialNumber;
                    return serial is not null;
                };
                using var client = new HttpClient(handler) { BaseAddress = region.Host.Address };
                try
                {
                    using var response = await client.GetAsync("health");
                    lock (seen)
                    {
                        seen.Add(serial!);
                        if (!response.IsSuccessStatusCode)
                        {
                            failures.Add($"{(int)response.StatusCode}");
                        }
                    }
                }
                catch (HttpRequestException exception)
                {
                    lock (seen)
                    {
                        failures.Add(exception.Message);
                    }
                }
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        // Renewed in place, certificate first: for a moment the new certificate sits next to the old key, which is not taken.
        var (renewed, renewedKey, second) = pki.Issue();
        File.Copy(renewed, certificate, overwrite: true);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        File.Copy(renewedKey, key, overwrite: true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !Seen(seen).Contains(second))
        {
            await Task.Delay(100);
        }
        await Task.Delay(500);
        await stop.CancelAsync();
        await requests;

        Assert.Empty(failures);
        var order = Seen(seen);
        Assert.Equal(first, order[0]);
        Assert.Equal(second, order[^1]);
        Assert.DoesNotContain(first, order.SkipWhile(s => s != second));
        Assert.Contains(logs.Events, e => e.Id.Name == "CertificateReloadFailed");
        Assert.Single(logs.Events, e => e.Id.Name == "CertificateReloaded");
    }

    [Fact]
    public async Task APeerWithACertificateOfAnotherCa_OrAnExpiredOne_IsRefused_WithALineSayingWhy()
    {
        using var pki = new TestPki();
        using var otherPki = new TestPki("Some other CA");
        foreach (var (issued, why) in new[]
        {
            (otherPki.Issue(), "not signed by the deployment's CA"),
            (pki.Issue(validFrom: TimeSpan.FromDays(-20), validUntil: TimeSpan.FromDays(-10)), "expired or not yet valid"),
        })
        {
            await using var peer = await TestRegion.StartAsync(o => o with { Server = o.Server with { TlsCertFile = issued.CertificateFile, TlsKeyFile = issued.KeyFile } });
            var logs = new CapturedLogs();
            using var factory = LoggerFactory.Create(logging => logging.AddProvider(logs));
            using var client = new HttpClient(new PeerTls(pki.CaFile, null, null, factory.CreateLogger<PeerTls>()).Apply(new SocketsHttpHandler()))
            {
                BaseAddress = peer.Host.Address,
            };

            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("health"));

            var line = Assert.Single(logs.Events, e => e.Id.Name == "PeerCertificateRefused");
            Assert.Contains(why, line.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithMutualTls_InterRegionRequestsNeedAClientCertificateOfTheCa_ThePublicApiDoesNot()
    {
        using var pki = new TestPki();
        using var otherPki = new TestPki("Some other CA");
        var (certificate, key, _) = pki.Issue();
        var logs = new CapturedLogs();
        await using var region = await SignedBatches.StartUsEastAsync(o => o with
        {
            Server = o.Server with { TlsCertFile = certificate, TlsKeyFile = key },
            Region = o.Region with { CaFile = pki.CaFile, ClientCertFile = certificate, ClientKeyFile = key },
        }, logs);
        var (body, _) = await SignedBatches.FromEuWestAsync();
        var (ownClient, ownClientKey, _) = pki.Issue();
        var (foreignClient, foreignClientKey, _) = otherPki.Issue();

        using (var anonymous = Client(region, pki, null, null))
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("health")).StatusCode);
            var refused = await Json.AssertProblemAsync(await anonymous.SendAsync(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System)),
                401, "REGION_UNAUTHORIZED");
            Assert.StartsWith("client_certificate_missing", (string?)refused["detail"], StringComparison.Ordinal);
            Assert.Contains(logs.Events, e => e.Id.Name == "RegionRequestRefused" && e.Message.Contains("client_certificate_missing", StringComparison.Ordinal));
        }

        using (var foreign = Client(region, pki, foreignClient, foreignClientKey))
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => foreign.SendAsync(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System)));
            Assert.Contains(logs.Events, e => e.Id.Name == "PeerCertificateRefused" && e.Message.Contains("not signed by the deployment's CA", StringComparison.Ordinal));
        }

        using var member = Client(region, pki, ownClient, ownClientKey);
        using var accepted = await member.SendAsync(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static HttpClient Client(TestRegion region, TestPki pki, string? certificate, string? key) =>
        new(new PeerTls(pki.CaFile, certificate, key, NullLogger()).Apply(new SocketsHttpHandler())) { BaseAddress = region.Host.Address };

    private static ILogger NullLogger() => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private static List<string> Seen(List<string> seen)
    {
        lock (seen)
        {
            return [.. seen];
        }
    }
}
