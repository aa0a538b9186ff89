namespace GhidraInsight.Configuration;

/// <summary>One API key entry as written, fields unparsed; a field is <see langword="null"/> when absent.</summary>
/// <param name="Index">Position in its list, for <c>auth.api_keys[1].role</c>.</param>
/// <param name="Where">Where the entry itself is, for errors about a missing field.</param>
/// <param name="Name">The key's name.</param>
/// <param name="Role">read, analyze, annotate or admin.</param>
/// <param name="Key">A plaintext key; never echoed in errors.</param>
/// <param name="KeySha256">The key's SHA-256, hex.</param>
internal sealed record RawApiKey(int Index, string Where, RawValue? Name, RawValue? Role, RawValue? Key, RawValue? KeySha256);
