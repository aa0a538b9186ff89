using System.Net;
using System.Net.Sockets;

namespace GhidraInsight.Cli.Up;

/// <summary>Before up starts anything: every port it will listen on is free on loopback, or which one is taken and by whom it is meant.</summary>
internal static class PortCheck
{
    /// <summary>The first of <paramref name="ports"/> something else listens on, with what up meant it for; null when all are free.</summary>
    public static (int Port, string For)? FirstTaken(IEnumerable<(int Port, string For)> ports)
    {
        foreach (var (port, purpose) in ports)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                probe.Stop();
            }
            catch (SocketException)
            {
                return (port, purpose);
            }
        }

        return null;
    }
}
