namespace GhidraInsight.Cli.Tests.Support;

/// <summary>Inputs for the CLI: the common C sample built with gcc once per run, a system binary, and scratch folders.</summary>
internal static class Samples
{
    public const string Ls = "/usr/bin/ls";

    private static readonly string Root = TempFolder.ForTheRun("ghidrainsight-cli-tests-");

    private static readonly Lazy<string> GccProgram = new(() =>
    {
        var output = Path.Combine(Root, "program");
        ExternalTool.Run("gcc", "-O1", "-o", output, Path.Combine(AppContext.BaseDirectory, "Samples", "program.c"));
        return output;
    });

    /// <summary><c>Samples/program.c</c> compiled with <c>gcc -O1</c>.</summary>
    public static string Program => GccProgram.Value;

    /// <summary>A new empty folder of its own for one test.</summary>
    public static string NewFolder() => Directory.CreateDirectory(Path.Combine(Root, "case-" + Guid.NewGuid().ToString("N"))).FullName;
}
