namespace GhidraInsight.Regions.Forwarding;

/// <summary>Headers of forwarded strong writes.</summary>
public static class ForwardingHeaders
{
    /// <summary>Set by the region that forwarded a request to the primary; a region never forwards such a request again.</summary>
    public const string ForwardedBy = "X-Ghidra-Forwarded-By";

    /// <summary>On every answer: the region that accepted (or served) the request.</summary>
    public const string AcceptedBy = "X-Ghidra-Accepted-By";

    /// <summary>
    /// <c>false</c> on a strong write's refusal when nothing was stored anywhere (no primary, a fenced primary, a primary that
    /// could not be reached), so a client or the gateway may send it again; absent when the write may have been stored.
    /// </summary>
    public const string WriteTaken = "X-Ghidra-Write-Taken";
}
