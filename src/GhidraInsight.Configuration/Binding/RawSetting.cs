namespace GhidraInsight.Configuration;

/// <summary>
/// One key as read from the source that wins for it: its text as a whole, and, by the key's shape, its list items, its
/// mapping entries or its API key entries, each with its own origin.
/// </summary>
/// <param name="Value">The whole value; for a list, the items joined by commas.</param>
internal sealed record RawSetting(RawValue Value)
{
    /// <summary>The items of a list, in order.</summary>
    public IReadOnlyList<RawValue> Items { get; init; } = [];

    /// <summary>The entries of a mapping (name, value), in the order written.</summary>
    public IReadOnlyList<KeyValuePair<RawValue, RawValue>> Pairs { get; init; } = [];

    /// <summary>The API key entries, in order.</summary>
    public IReadOnlyList<RawApiKey> Entries { get; init; } = [];
}
