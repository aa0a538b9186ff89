using System.Diagnostics;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>Binaries for uploads: a gcc build of program.c (once per run), and distinct small ELF-like files.</summary>
internal static class Samples
{
    private static readonly Lazy<byte[]> Program = new(BuildProgram);

    public static byte[] ProgramElf => Program.Value;

    /// <summary>/usr/bin/ls, a real binary nobody here built.</summary>
    public static byte[] Ls => File.ReadAllBytes("/usr/bin/ls");

    /// <summary>A copy of the program with a few trailing bytes changed: a different binary (and id) that still parses.</summary>
    public static byte[] Variant(int n)
    {
        var bytes = ProgramElf.Concat(BitConverter.GetBytes(n)).Concat("variant"u8.ToArray()).ToArray();
        return bytes;
    }

    private static byte[] BuildProgram()
    {
        using var folder = new TempFolder("ghidrainsight-server-samples-");
        var output = Path.Combine(folder.Path, "program");
        ExternalTool.Run("gcc", "-O1", "-o", output, Path.Combine(AppContext.BaseDirectory, "Samples", "program.c"));
        return File.ReadAllBytes(output);
    }
}
