namespace GhidraInsight.Storage;

/// <summary>
/// Orders analysis engine versions (<c>major.minor.patch</c>, so 1.10.0 comes after 1.9.0). A string that is not a version
/// comes before every version, so a result written by an unknown engine counts as older.
/// </summary>
public static class EngineVersions
{
    public static int Compare(string? left, string? right)
    {
        var (a, b) = (Parse(left), Parse(right));
        return a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.CompareTo(b);
    }

    /// <summary>Whether a result of engine <paramref name="version"/> is older than one of engine <paramref name="than"/>.</summary>
    public static bool IsOlder(string? version, string? than) => Compare(version, than) < 0;

    private static Version? Parse(string? version) => Version.TryParse(version, out var parsed) ? parsed : null;
}
