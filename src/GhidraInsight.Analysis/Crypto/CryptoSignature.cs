namespace GhidraInsight.Analysis.Crypto;

/// <summary>A byte pattern that identifies a cryptographic constant.</summary>
/// <param name="Algorithm">Algorithm family, e.g. <c>AES</c>.</param>
/// <param name="Constant">Which constant, e.g. <c>S-box</c>.</param>
/// <param name="Pattern">Bytes to find (a prefix long enough to be unambiguous).</param>
/// <param name="Endian"><c>little</c>/<c>big</c> for word tables, null for byte tables and text.</param>
/// <param name="LeadingZeros">Zero bytes the table starts with before <paramref name="Pattern"/> (searched from the first non-zero word; the hit is reported at the table start).</param>
internal sealed record CryptoSignature(string Algorithm, string Constant, byte[] Pattern, string? Endian, int LeadingZeros = 0);
