using System.Security.Cryptography;
using System.Text;

namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// The one definition of what is signed, shared by signer and verifier:
/// <c>region \n timestamp \n nonce \n METHOD \n pathAndQuery \n hex(SHA-256(body))</c>, HMAC-SHA256 with the shared secret.
/// </summary>
internal static class RegionSignature
{
    public static byte[] Compute(byte[] key, string region, string timestamp, string nonce, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var canonical = string.Join('\n', region, timestamp, nonce, method.ToUpperInvariant(), pathAndQuery, bodyHash);
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical));
    }

    public static byte[] KeyFrom(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Encoding.UTF8.GetBytes(secret);
    }
}
