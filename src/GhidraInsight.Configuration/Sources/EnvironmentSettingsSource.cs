using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>The <c>GHIDRA_*</c> environment variables, as read at start: a reload re-reads these same values.</summary>
internal sealed class EnvironmentSettingsSource(IReadOnlyDictionary<string, string> environment) : IConfigurationSource
{
    // A copy: the process's variables may change later, and so may a dictionary handed in by a test.
    private readonly Dictionary<string, string> _atStart = new(environment, StringComparer.Ordinal);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new EnvironmentSettingsProvider(_atStart);
}
