using System.Globalization;
using System.Security.Cryptography;

namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// Adds a region's signature headers to an outgoing inter-region request (the region's own clients do it through
/// <see cref="RegionSigningHandler"/>; tools that speak for a region use it directly).
/// </summary>
public sealed class RegionRequestSigner
{
    private readonly string _region;
    private readonly RegionSecret _secret;
    private readonly TimeProvider _time;

    /// <summary>A signer for <paramref name="region"/> with the shared <paramref name="secret"/>, timestamps from <paramref name="time"/>.</summary>
    public RegionRequestSigner(string region, string secret, TimeProvider time)
        : this(region, new RegionSecret(secret), time)
    {
    }

    /// <summary>A signer for <paramref name="region"/> with the region's current <paramref name="secret"/> (which a reload may change).</summary>
    public RegionRequestSigner(string region, RegionSecret secret, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentNullException.ThrowIfNull(secret);
        _region = region;
        _secret = secret;
        _time = time;
    }

    /// <summary>
    /// Signs <paramref name="request"/> whose body is exactly <paramref name="body"/> (empty when it has none) with the current
    /// secret, and during a rotation with the previous one too, so a region that has not rotated yet accepts it the first time.
    /// </summary>
    public void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("A signed request needs an absolute RequestUri.");
        var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var keys = _secret.Current;
        var signature = RegionSignature.Compute(keys.Signing, _region, timestamp, nonce, request.Method.Method, uri.PathAndQuery, body);

        var headers = request.Headers;
        foreach (var name in (ReadOnlySpan<string>)[RegionHeaders.Region, RegionHeaders.Timestamp, RegionHeaders.Nonce, RegionHeaders.Signature, RegionHeaders.PreviousSignature])
        {
            headers.Remove(name);
        }

        headers.TryAddWithoutValidation(RegionHeaders.Region, _region);
        headers.TryAddWithoutValidation(RegionHeaders.Timestamp, timestamp);
        headers.TryAddWithoutValidation(RegionHeaders.Nonce, nonce);
        headers.TryAddWithoutValidation(RegionHeaders.Signature, Convert.ToHexStringLower(signature));
        if (keys.Previous is { } previous)
        {
            var previousSignature = RegionSignature.Compute(previous, _region, timestamp, nonce, request.Method.Method, uri.PathAndQuery, body);
            headers.TryAddWithoutValidation(RegionHeaders.PreviousSignature, Convert.ToHexStringLower(previousSignature));
        }
    }
}
