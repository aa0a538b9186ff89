namespace GhidraInsight.Regions.Authentication;

/// <summary>The headers of a signed inter-region request.</summary>
public static class RegionHeaders
{
    /// <summary>The sending region's name.</summary>
    public const string Region = "X-Ghidra-Region";

    /// <summary>When the request was signed, Unix milliseconds.</summary>
    public const string Timestamp = "X-Ghidra-Timestamp";

    /// <summary>16 random bytes, lowercase hex; never accepted twice within the window.</summary>
    public const string Nonce = "X-Ghidra-Nonce";

    /// <summary>Lowercase hex HMAC-SHA256 of the canonical request (see <c>RegionSignature</c>).</summary>
    public const string Signature = "X-Ghidra-Signature";

    /// <summary>
    /// During a secret rotation only (the sender holds a previous secret): the same HMAC with the previous secret, so a region
    /// that has not rotated yet verifies the request at once instead of refusing it and having it sent again.
    /// </summary>
    public const string PreviousSignature = "X-Ghidra-Signature-Previous";
}
