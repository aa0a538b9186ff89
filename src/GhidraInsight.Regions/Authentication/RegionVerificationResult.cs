namespace GhidraInsight.Regions.Authentication;

/// <summary>Outcome of <see cref="RegionRequestVerifier.Verify(string?, string?, string?, string?, string, string, ReadOnlySpan{byte}, string?)"/>.</summary>
/// <param name="Failure"><see cref="RegionVerificationFailure.None"/> on success.</param>
/// <param name="Region">The verified sending region; null on failure.</param>
public sealed record RegionVerificationResult(RegionVerificationFailure Failure, string? Region)
{
    /// <summary>True when the request is authentic, fresh and new.</summary>
    public bool Succeeded => Failure == RegionVerificationFailure.None;

    /// <summary>The stable reason code: <c>missing</c>, <c>unknown_region</c>, <c>stale</c>, <c>bad_signature</c>, <c>replayed</c>; null on success.</summary>
    public string? Code => Failure switch
    {
        RegionVerificationFailure.None => null,
        RegionVerificationFailure.Missing => "missing",
        RegionVerificationFailure.UnknownRegion => "unknown_region",
        RegionVerificationFailure.Stale => "stale",
        RegionVerificationFailure.BadSignature => "bad_signature",
        RegionVerificationFailure.Replayed => "replayed",
        _ => "invalid",
    };

    internal static RegionVerificationResult Fail(RegionVerificationFailure failure) => new(failure, null);
}
