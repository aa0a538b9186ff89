namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>One port or health-check path found in a deploy file: the key, its location and the value it resolves to (null when it does not).</summary>
internal sealed record PortAndPathSetting(string Key, string Location, string? Value, bool IsPath);
