namespace GhidraInsight.Configuration;

/// <summary>The <c>auth:</c> section. Equal when the keys are equal, in order.</summary>
public sealed record AuthOptions
{
    /// <summary>The API keys, hashed; reloadable, so a key can be added or revoked without a restart.</summary>
    public IReadOnlyList<ApiKeyOptions> ApiKeys { get; init => field = ValueList<ApiKeyOptions>.From(value); } = ValueList<ApiKeyOptions>.Empty;
}
