using System.Net;
using System.Text.RegularExpressions;

namespace GhidraInsight.Configuration;

/// <summary>What a host, a region name and an API key name may look like.</summary>
internal static partial class ValueRules
{
    public const string HostAllowed = "must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost";
    public const string RegionAllowed = "must be a region name like us-east-1: 2 to 32 lowercase letters, digits and hyphens";
    public const string KeyNameAllowed = "must be 1 to 64 letters, digits, '.', '_' or '-'";
    public const string UrlAllowed = "must be an absolute http or https URL, e.g. http://127.0.0.1:3101";

    public static bool IsValidHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // IPAddress.TryParse also takes "1" or "127.1"; an IPv4 address must be written as four parts.
        return IPAddress.TryParse(host, out var address)
            && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || host.Split('.').Length == 4);
    }

    /// <summary>127.0.0.0/8, ::1 or localhost.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>An absolute http or https URL with a host.</summary>
    public static bool TryParseUrl(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && url.Scheme is "http" or "https" && url.Host.Length > 0;

    public static bool IsRegionName(string name) => RegionName().IsMatch(name);

    /// <summary>A DNS name or IP address, optionally with <c>:port</c> (a bare IPv6 address in brackets when it has a port).</summary>
    public static bool IsHostAndPort(string text) =>
        Uri.TryCreate($"tcp://{text}", UriKind.Absolute, out var uri) && uri.Host.Length > 0 && uri.AbsolutePath == "/" && uri.UserInfo.Length == 0
        && string.IsNullOrEmpty(uri.Query);

    public static bool IsKeyName(string name) => KeyName().IsMatch(name);

    public static bool IsSha256Hex(string text) => Sha256Hex().IsMatch(text);

    [GeneratedRegex("^[a-z0-9-]{2,32}$")]
    private static partial Regex RegionName();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
