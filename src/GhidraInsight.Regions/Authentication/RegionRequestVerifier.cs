using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// Checks the signature headers of a request from another region: all present, the sender another known region, the
/// timestamp within <see cref="Window"/> of now, the HMAC right (constant-time) and the nonce new. A nonce is recorded
/// only once everything else holds, so unsigned traffic cannot fill the replay memory.
/// </summary>
public sealed class RegionRequestVerifier
{
    /// <summary>How far a timestamp may be from now, either way.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly HashSet<string> _peers;
    private readonly RegionSecret _secret;
    private readonly TimeProvider _time;
    private readonly ReplayGuard _replays;

    internal RegionRequestVerifier(string currentRegion, IEnumerable<string> regions, string secret, TimeProvider time)
        : this(currentRegion, regions, new RegionSecret(secret), time)
    {
    }

    /// <param name="currentRegion">This region (never a valid sender).</param>
    /// <param name="regions">Every member; the others may send.</param>
    /// <param name="secret">The current secret, and during a rotation the previous one: a signature with either is accepted.</param>
    /// <param name="time">The clock the timestamp window is judged by.</param>
    internal RegionRequestVerifier(string currentRegion, IEnumerable<string> regions, RegionSecret secret, TimeProvider time)
    {
        _peers = new HashSet<string>(regions, StringComparer.Ordinal);
        _peers.Remove(currentRegion);
        _secret = secret;
        _time = time;
        _replays = new ReplayGuard(Window, time);
    }

    internal int RememberedNonces => _replays.Count;

    /// <summary>Verifies a request whose body the caller has read completely into <paramref name="body"/>.</summary>
    public RegionVerificationResult Verify(IHeaderDictionary headers, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Verify(Single(headers, RegionHeaders.Region), Single(headers, RegionHeaders.Timestamp), Single(headers, RegionHeaders.Nonce),
            Single(headers, RegionHeaders.Signature), method, pathAndQuery, body, Single(headers, RegionHeaders.PreviousSignature));
    }

    /// <summary>
    /// Verifies the header values against the request line and body: <paramref name="signature"/>, or during the sender's
    /// rotation <paramref name="previousSignature"/>, must be made with a secret this region holds (its current or previous one).
    /// </summary>
    public RegionVerificationResult Verify(string? region, string? timestamp, string? nonce, string? signature, string method, string pathAndQuery, ReadOnlySpan<byte> body,
        string? previousSignature = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (string.IsNullOrEmpty(region) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestampMs))
        {
            return RegionVerificationResult.Fail(RegionVerificationFailure.Missing);
        }

        if (!_peers.Contains(region))
        {
            return RegionVerificationResult.Fail(RegionVerificationFailure.UnknownRegion);
        }

        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs(nowMs - timestampMs) > (long)Window.TotalMilliseconds)
        {
            return RegionVerificationResult.Fail(RegionVerificationFailure.Stale);
        }

        Span<byte> provided = stackalloc byte[32];
        Span<byte> providedPrevious = stackalloc byte[32];
        if (!TryParse(signature, provided) || (previousSignature is not null && !TryParse(previousSignature, providedPrevious)))
        {
            return RegionVerificationResult.Fail(RegionVerificationFailure.BadSignature);
        }

        var keys = _secret.Current;
        var expected = RegionSignature.Compute(keys.Signing, region, timestamp!, nonce, method, pathAndQuery, body);
        var expectedPrevious = keys.Previous is null ? null : RegionSignature.Compute(keys.Previous, region, timestamp!, nonce, method, pathAndQuery, body);
        bool MadeWithOurs(ReadOnlySpan<byte> mac) =>
            CryptographicOperations.FixedTimeEquals(expected, mac) || (expectedPrevious is not null && CryptographicOperations.FixedTimeEquals(expectedPrevious, mac));
        if (!MadeWithOurs(provided) && (previousSignature is null || !MadeWithOurs(providedPrevious)))
        {
            return RegionVerificationResult.Fail(RegionVerificationFailure.BadSignature);
        }

        return _replays.TryRecord(region, nonce, timestampMs)
            ? new RegionVerificationResult(RegionVerificationFailure.None, region)
            : RegionVerificationResult.Fail(RegionVerificationFailure.Replayed);
    }

    /// <summary>A signature header's 64 lowercase hex digits into <paramref name="mac"/>; false when it is anything else.</summary>
    private static bool TryParse(string hex, Span<byte> mac) =>
        hex.Length == 64 && Convert.FromHexString(hex, mac, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;

    private static string? Single(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}
