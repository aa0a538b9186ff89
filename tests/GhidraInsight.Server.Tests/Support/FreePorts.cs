using System.Net;
using System.Net.Sockets;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>Loopback ports nothing listens on right now (for regions whose endpoints must be known before they start).</summary>
internal static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(listener => listener.Start());
        var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        listeners.ForEach(listener => listener.Stop());
        return ports;
    }
}
