namespace GhidraInsight.Configuration;

/// <summary>The sections of <see cref="GhidraOptions"/>, in the order they are documented, bound and written.</summary>
internal static class OptionsSections
{
    public static IReadOnlyList<IOptionsSection> All { get; } =
        [ServerSettings.Section, StorageSettings.Section, AuthSettings.Section, RegionSettings.Section, GatewaySettings.Section];
}
