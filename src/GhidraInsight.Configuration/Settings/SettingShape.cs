namespace GhidraInsight.Configuration;

/// <summary>How a key's value is written, which decides how each source flattens it into <c>section:key[:item]</c> paths.</summary>
internal enum SettingShape
{
    /// <summary>One value: <c>section:key</c>.</summary>
    Scalar,

    /// <summary>A YAML list or comma-separated text: <c>section:key:0</c>, <c>section:key:1</c>.</summary>
    List,

    /// <summary>A YAML mapping or <c>name=value</c> entries separated by commas: <c>section:key:name</c>.</summary>
    Map,

    /// <summary>A YAML list of <c>{ name, role, key_sha256 | key }</c> or <c>name:role:key</c> entries: <c>auth:api_keys:0:name</c>.</summary>
    ApiKeys,
}
