namespace GhidraInsight.Tests.Shared;

/// <summary>Where Debian keeps PostgreSQL's server programs (<c>initdb</c>, <c>pg_ctl</c>): the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
internal static class PostgresPrograms
{
    /// <summary>The folder, or null when no PostgreSQL server is installed.</summary>
    public static string? Folder() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
}
