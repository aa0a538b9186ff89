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
                // As the servers themselves bind: connections of a previous run still in TIME_WAIT do not hold the port.
                probe.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
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
