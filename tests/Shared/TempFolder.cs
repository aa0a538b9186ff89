namespace GhidraInsight.Tests.Shared;

/// <summary>A folder of the test's own under the system's temporary folder, deleted with everything in it when disposed.</summary>
internal sealed class TempFolder(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>A folder kept for the whole test run (built samples shared by many tests), deleted when the test process exits.</summary>
    public static string ForTheRun(string prefix)
    {
        var folder = new TempFolder(prefix);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        return folder.Path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
