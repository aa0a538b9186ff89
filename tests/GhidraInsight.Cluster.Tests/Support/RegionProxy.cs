using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>
/// A test-only TCP proxy on loopback in front of one region: every other region reaches it through this address. It reads
/// the first request's headers of each connection to learn which region is calling (the signed <c>X-Ghidra-Region</c>,
/// <c>X-Ghidra-Forwarded-By</c>, or the <c>GhidraInsight-Region/NAME</c> user agent); when <see cref="LinkCuts"/> says that
/// link is cut, the connection is held open and never answered, like a network that silently drops packets.
/// Callers it cannot place (tests, tools, the gateway) always pass. <see cref="Delay"/> slows every answer through it, like a
/// region far away.
/// </summary>
internal sealed partial class RegionProxy : IDisposable
{
    private readonly string _region;
    private readonly int _targetPort;
    private readonly LinkCuts _cuts;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(string Source, TcpClient Inbound, TcpClient? Outbound)> _live = [];

    public RegionProxy(string region, int listenPort, int targetPort, LinkCuts cuts)
    {
        _region = region;
        _targetPort = targetPort;
        _cuts = cuts;
        _listener = new TcpListener(IPAddress.Loopback, listenPort);
        _listener.Start();
        cuts.Register(this);
        _ = AcceptLoopAsync();
    }

    /// <summary>The region behind this proxy.</summary>
    public string Region => _region;

    /// <summary>Added before each chunk of every answer that passes through (zero: none).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Added before each chunk of every request that passes through (zero: none): the region receives later.</summary>
    public TimeSpan RequestDelay { get; set; }

    /// <summary>Drops the open connections between <paramref name="a"/> and <paramref name="b"/> that pass through here.</summary>
    public void Sever(string a, string b)
    {
        if (a != _region && b != _region)
        {
            return;
        }
        var other = a == _region ? b : a;
        lock (_live)
        {
            foreach (var connection in _live.Where(c => c.Source == other))
            {
                connection.Inbound.Client.Close(0);
                connection.Outbound?.Client.Close(0);
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = HandleAsync(inbound);
        }
    }

    private async Task HandleAsync(TcpClient inbound)
    {
        TcpClient? outbound = null;
        (string, TcpClient, TcpClient?) entry = default;
        try
        {
            var stream = inbound.GetStream();
            var head = await ReadHeadAsync(stream);
            var source = Caller(head) ?? "";
            if (_cuts.IsCut(source, _region))
            {
                // Held: the caller waits until its own timeout.
                entry = (source, inbound, null);
                Track(entry, add: true);
                await DrainAsync(stream);
                return;
            }
            outbound = new TcpClient();
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            entry = (source, inbound, outbound);
            Track(entry, add: true);
            var target = outbound.GetStream();
            if (RequestDelay > TimeSpan.Zero)
            {
                await Task.Delay(RequestDelay, _stop.Token);
            }
            await target.WriteAsync(head, _stop.Token);
            await Task.WhenAny(CopyAsync(stream, target, () => RequestDelay), CopyAsync(target, stream, () => Delay));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            if (entry.Item2 is not null)
            {
                Track(entry, add: false);
            }
            inbound.Dispose();
            outbound?.Dispose();
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, Func<TimeSpan> delay)
    {
        var buffer = new byte[16384];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (delay() is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _stop.Token);
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    private void Track((string, TcpClient, TcpClient?) entry, bool add)
    {
        lock (_live)
        {
            if (add)
            {
                _live.Add(entry);
            }
            else
            {
                _live.Remove(entry);
            }
        }
    }

    /// <summary>Bytes up to the end of the first request's headers (or whatever arrived within 16 KiB or 5 s).</summary>
    private async Task<byte[]> ReadHeadAsync(NetworkStream stream)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (buffer.Length < 16384)
        {
            var read = await stream.ReadAsync(chunk, deadline.Token);
            if (read == 0)
            {
                break;
            }
            buffer.Write(chunk, 0, read);
            if (buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }
        return buffer.ToArray();
    }

    private async Task DrainAsync(NetworkStream stream)
    {
        var sink = new byte[4096];
        while (await stream.ReadAsync(sink, _stop.Token) > 0)
        {
        }
    }

    private static string? Caller(byte[] head)
    {
        var text = Encoding.ASCII.GetString(head);
        var match = CallerHeader().Match(text);
        return match.Success ? match.Groups["name"].Value : null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_live)
        {
            foreach (var (_, inbound, outbound) in _live)
            {
                inbound.Dispose();
                outbound?.Dispose();
            }
        }
        _stop.Dispose();
    }

    [GeneratedRegex(@"^(?:X-Ghidra-Region:\s*|X-Ghidra-Forwarded-By:\s*|User-Agent:\s*GhidraInsight-Region/)(?<name>[A-Za-z0-9._-]+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CallerHeader();
}
