using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// The HTTP surface against requests a browser or a well-behaved client never sends, over raw sockets: framing that could smuggle
/// a second request, slow-loris headers, oversized bodies where a small one belongs, and the headers every answer carries.
/// </summary>
public sealed class HttpSurfaceTests
{
    [Fact]
    public async Task ARequestWithBothContentLengthAndChunkedFraming_GetsOneAnswer_AndTheConnectionCloses_SoNothingIsSmuggledBehindIt()
    {
        await using var region = await TestRegion.StartAsync();

        var answer = await RawAsync(region, "POST /api/analyze HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/analyses HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(1, Occurrences(answer, "HTTP/1.1 "));
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n")]
    [InlineData("Content-Length: 1\r\nContent-Length: 2\r\n\r\nab")]
    [InlineData("Content-Length: -1\r\n\r\n")]
    public async Task AmbiguousFraming_Is400_AndTheConnectionCloses(string framing)
    {
        await using var region = await TestRegion.StartAsync();

        var answer = await RawAsync(region, "POST /api/analyze HTTP/1.1\r\nHost: a\r\n" + framing);

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(answer, "HTTP/1.1 "));
    }

    [Fact]
    public async Task AClientThatSendsItsHeadersTooSlowly_IsCutOff()
    {
        await using var region = await TestRegion.StartAsync();
        using var socket = new TcpClient();
        await socket.ConnectAsync(region.Host.Address.Host, region.Host.Address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync("GET /health HTTP/1.1\r\nHost: a\r\n"u8.ToArray());

        // One header byte every second: never finishing. The server closes (or answers 408) once its header timeout passes.
        var closed = false;
        var started = DateTime.UtcNow;
        try
        {
            while (DateTime.UtcNow - started < TimeSpan.FromSeconds(40))
            {
                await stream.WriteAsync("X"u8.ToArray());
                await Task.Delay(1000);
                if (socket.Client.Poll(0, SelectMode.SelectRead))
                {
                    closed = true;
                    break;
                }
            }
        }
        catch (IOException)
        {
            closed = true;
        }

        Assert.True(closed, "the connection was still open after 40 s of a header trickle");
    }

    [Fact]
    public async Task AnAnnotationBodyFarLargerThanAnyAnnotation_Is413_WithoutBeingRead()
    {
        await using var region = await TestRegion.StartAsync();
        var id = (string)(await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;

        using var huge = await region.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { comment = new string('x', 2 << 20) });

        await Json.AssertProblemAsync(huge, 413, "FILE_TOO_LARGE");
        Assert.Equal(HttpStatusCode.NotFound, (await region.Client.GetAsync($"api/analyses/{id}/annotations/0x10")).StatusCode);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders()
    {
        await using var region = await TestRegion.StartAsync();

        foreach (var path in new[] { "health", "api/analyses", "no/such/path" })
        {
            using var response = await region.Client.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    private static async Task<string> RawAsync(TestRegion region, string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(region.Host.Address.Host, region.Host.Address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var answer = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            // Still open after 15 s: the answer is what came, and the assertions say whether it is right.
        }
        return Encoding.ASCII.GetString(answer.ToArray());
    }

    private static int Occurrences(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
