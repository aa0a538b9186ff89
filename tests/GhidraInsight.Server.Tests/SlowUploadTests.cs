using System.Net.Sockets;
using System.Text;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

public sealed class SlowUploadTests
{
    [Fact]
    public async Task UploadSlowerThanTheRequestTimeout_Gets504Timeout_NotAHang()
    {
        await using var region = await TestRegion.StartAsync(o => o with { Server = o.Server with { RequestTimeoutSeconds = 1 } });
        // A raw connection: the headers promise 100,000 bytes, 16 arrive, then nothing.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(region.Host.Address.Host, region.Host.Address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /api/analyze HTTP/1.1\r\nHost: {region.Host.Address.Authority}\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[16]);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 504", response, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"TIMEOUT\"", response, StringComparison.Ordinal);
    }
}
