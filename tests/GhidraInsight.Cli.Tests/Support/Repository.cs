namespace GhidraInsight.Cli.Tests.Support;

/// <summary>The checkout the tests were built from: where <c>./ghidrainsight</c>, the launcher users run, lives.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>The launcher script (not the CLI's own executable, which the test output also holds under that name).</summary>
    public static string Launcher => Path.Combine(Root, "ghidrainsight");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !(File.Exists(Path.Combine(dir.FullName, "ghidrainsight")) && File.Exists(Path.Combine(dir.FullName, "GhidraInsight.sln"))))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (with ./ghidrainsight and GhidraInsight.sln) is not above the test output");
    }
}
