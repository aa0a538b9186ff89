namespace GhidraInsight.Gateway.Forwarding;

/// <summary>Headers the gateway adds or reads.</summary>
public static class GatewayHeaders
{
    /// <summary>On every forwarded answer: the region the gateway sent the request to (read your writes: you know who served).</summary>
    public const string ServedBy = "X-Ghidra-Served-By";

    /// <summary>A region's refusal of a strong write that it did not store (<c>false</c>): safe to send again.</summary>
    public const string WriteTaken = "X-Ghidra-Write-Taken";
}
