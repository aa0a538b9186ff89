namespace GhidraInsight.Configuration;

/// <summary>
/// Values gathered from the file, then the environment, then flags; a later source replaces an earlier one key by key
/// (the API key list as a whole).
/// </summary>
internal sealed class RawSettings
{
    private readonly Dictionary<ConfigName, RawValue> _values = [];

    public IReadOnlyList<RawApiKey>? ApiKeys { get; set; }

    public void Set(ConfigName name, RawValue value) => _values[name] = value;

    public RawValue? Get(ConfigName name) => _values.GetValueOrDefault(name);
}
