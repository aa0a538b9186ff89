namespace GhidraInsight.Analysis.Tests.Support;

/// <summary>Binaries that ship with the machine or the .NET SDK: real inputs nobody here built.</summary>
internal static class RealBinaries
{
    public const string Ls = "/usr/bin/ls";

    public static string LibCrypto => FirstExisting("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/lib/aarch64-linux-gnu/libcrypto.so.3");

    /// <summary>The .NET runtime folder this test runs on (…/shared/Microsoft.NETCore.App/10.x).</summary>
    public static string RuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    public static string RuntimeLibrary(string name) => Path.Combine(RuntimeDirectory, name);

    private static string FirstExisting(params string[] paths) =>
        paths.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException($"none of {string.Join(", ", paths)} exists");
}
