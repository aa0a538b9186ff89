namespace GhidraInsight.Regions.Authentication;

/// <summary>Why a signed inter-region request was refused.</summary>
public enum RegionVerificationFailure
{
    /// <summary>Verified.</summary>
    None,
    /// <summary>A signature header is missing or malformed (<c>missing</c>).</summary>
    Missing,
    /// <summary>The sender is not another region of the deployment (<c>unknown_region</c>).</summary>
    UnknownRegion,
    /// <summary>The timestamp is more than the window away from now, either way (<c>stale</c>).</summary>
    Stale,
    /// <summary>The signature does not match (<c>bad_signature</c>).</summary>
    BadSignature,
    /// <summary>The nonce was already used within the window (<c>replayed</c>).</summary>
    Replayed,
}
