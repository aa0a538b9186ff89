using System.Net;
using System.Net.Sockets;

namespace GhidraInsight.Tests.Shared;

/// <summary>
/// Loopback ports nothing listens on right now, for servers whose ports must be known before they start (regions name each
/// other's endpoints, Patroni its members'). They are drawn below Linux's ephemeral range (32768 and up): the processes a test
/// starts open many connections while they come up, and the local port of one of those must not land on a port picked for a
/// server still to come, which is what asking the system for port 0 and letting it go risks.
/// </summary>
internal static class FreePorts
{
    private const int Lowest = 20_000;
    private const int BelowEphemeral = 32_000;

    /// <summary>A first port such that it and the <paramref name="count"/> - 1 after it are free.</summary>
    public static int ConsecutiveBlock(int count) => ConsecutiveBlockWithOffsets(count);

    /// <summary>
    /// A first port such that it and the <paramref name="count"/> - 1 after it are free, and so are the same runs at every offset
    /// in <paramref name="offsets"/> (up --storage postgres puts its databases at +100, +200, +300 and +400).
    /// </summary>
    public static int ConsecutiveBlockWithOffsets(int count, params int[] offsets)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var first = Random.Shared.Next(Lowest, BelowEphemeral - count - offsets.DefaultIfEmpty(0).Max());
            if (offsets.Prepend(0).All(offset => Enumerable.Range(first + offset, count).All(IsFree)))
            {
                return first;
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free ports found at offsets {string.Join(',', offsets.Prepend(0))}");
    }

    /// <summary><paramref name="count"/> different free ports, not necessarily consecutive.</summary>
    public static int[] Take(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(ConsecutiveBlock(1));
        }
        return [.. ports];
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
