using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>Command-line overrides by dotted key (<c>server.port</c> → <c>3105</c>), the highest precedence.</summary>
internal sealed class FlagSettingsSource(IReadOnlyDictionary<string, string> flags) : IConfigurationSource
{
    // A copy, in the order given: flags are fixed for the life of the process.
    private readonly List<KeyValuePair<string, string>> _atStart = [.. flags];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new FlagSettingsProvider(_atStart);
}
