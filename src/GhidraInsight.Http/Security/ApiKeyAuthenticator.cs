using System.Security.Cryptography;
using System.Text;
using GhidraInsight.Configuration;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Http.Security;

/// <summary>
/// Recognises API keys by their SHA-256, compared in constant time against every configured key, so neither the key nor which
/// key matched leaks through timing. The keys follow <c>auth.api_keys</c> as reloaded: a key added or removed applies to the
/// next request.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    private (ApiKeyOptions Key, byte[] Hash)[] _keys;

    public ApiKeyAuthenticator(IOptionsMonitor<AuthOptions> auth)
    {
        _keys = Hashes(auth.CurrentValue);
        auth.OnChange((options, _) => Volatile.Write(ref _keys, Hashes(options)));
    }

    public bool Enabled => Volatile.Read(ref _keys).Length > 0;

    /// <summary>The configured key the presented one is, or null.</summary>
    public ApiKeyOptions? Authenticate(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyOptions? match = null;
        foreach (var (key, expected) in Volatile.Read(ref _keys))
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = key;
            }
        }
        return match;
    }

    private static (ApiKeyOptions Key, byte[] Hash)[] Hashes(AuthOptions auth) => [.. auth.ApiKeys.Select(k => (k, Convert.FromHexString(k.KeySha256)))];
}
