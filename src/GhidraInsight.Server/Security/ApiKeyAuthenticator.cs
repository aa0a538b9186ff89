using System.Security.Cryptography;
using System.Text;
using GhidraInsight.Configuration;

namespace GhidraInsight.Server.Security;

/// <summary>
/// Recognises API keys by their SHA-256, compared in constant time against every configured key, so neither the
/// key nor which key matched leaks through timing.
/// </summary>
internal sealed class ApiKeyAuthenticator(IReadOnlyList<ApiKeyOptions> keys)
{
    private readonly (ApiKeyOptions Key, byte[] Hash)[] _keys = [.. keys.Select(k => (k, Convert.FromHexString(k.KeySha256)))];

    public bool Enabled => _keys.Length > 0;

    /// <summary>The configured key the presented one is, or null.</summary>
    public ApiKeyOptions? Authenticate(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyOptions? match = null;
        foreach (var (key, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = key;
            }
        }
        return match;
    }
}
