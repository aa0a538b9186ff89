using System.Net;
using System.Net.Sockets;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>Finds a run of consecutive free loopback ports (regions' endpoints must be known before they start).</summary>
internal static class FreePorts
{
    public static int ConsecutiveBlock(int count)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = random.Next(20_000, 60_000 - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free ports found");
    }

    /// <summary>
    /// A first port such that it and the <paramref name="count"/> after it are free, and so are the same runs at every offset in
    /// <paramref name="offsets"/> (up --storage postgres puts its databases at +100, +200, +300 and +400).
    /// </summary>
    public static int ConsecutiveBlockWithOffsets(int count, params int[] offsets)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 500; attempt++)
        {
            // Below Linux's ephemeral range (32768 and up): a dozen processes open many connections while they start, and one
            // of their local ports must not land on a port the test picked for a server still to come.
            var first = random.Next(20_000, 32_000 - count - offsets.DefaultIfEmpty(0).Max());
            if (offsets.Prepend(0).All(offset => Enumerable.Range(first + offset, count).All(IsFree)))
            {
                return first;
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free ports found at offsets {string.Join(',', offsets)}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
