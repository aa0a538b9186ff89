namespace GhidraInsight.Regions.Authentication;

/// <summary>The body of an authenticated inter-region request, exactly the bytes whose signature was verified (a request feature).</summary>
internal sealed record SignedBody(byte[] Bytes);
