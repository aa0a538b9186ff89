using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Formats.MachO;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.MachO;

/// <summary>
/// Mach-O samples built from <c>Samples/macho/hello.c</c> without a macOS SDK: clang targets macOS, ld64.lld links
/// against hand-written TAPI stubs (<c>libSystem.tbd</c>, <c>libextra.tbd</c>), llvm-lipo makes the universal file.
/// </summary>
internal static class MachOSamples
{
    public static readonly string[] LinkedArchs = ["x86_64", "arm64"];

    public static string Linked(string arch) => SampleBinaries.Build(
        "clang",
        "macho/hello.c",
        $"macho_hello_{arch}",
        "-target", $"{arch}-apple-macos11", "-O1", "-fstack-protector-all", "-nostdlib",
        "-fuse-ld=lld", $"--ld-path={Tool("ld64.lld")}", "-Wl,-platform_version,macos,11.0,11.0",
        SampleBinaries.SourcePath("macho/libSystem.tbd"), SampleBinaries.SourcePath("macho/libextra.tbd"));

    /// <summary>
    /// The x86_64 executable linked without <c>LC_FUNCTION_STARTS</c> (<c>-no_function_starts</c>), and a copy stripped of its
    /// symbols too: then nothing in the file lists its functions.
    /// </summary>
    public static (string Linked, string Stripped) WithoutFunctionStarts()
    {
        var linked = SampleBinaries.Build(
            "clang",
            "macho/hello.c",
            "macho_hello_x86_64_no_function_starts",
            "-target", "x86_64-apple-macos11", "-O1", "-fstack-protector-all", "-nostdlib",
            "-fuse-ld=lld", $"--ld-path={Tool("ld64.lld")}", "-Wl,-platform_version,macos,11.0,11.0", "-Wl,-no_function_starts",
            SampleBinaries.SourcePath("macho/libSystem.tbd"), SampleBinaries.SourcePath("macho/libextra.tbd"));
        return (linked, SampleBinaries.Make("macho_hello_x86_64_no_function_starts.stripped", "llvm-strip", output => ["-o", output, linked]));
    }

    /// <summary>A universal file holding the x86_64 and arm64 executables, in that order.</summary>
    public static string Universal() => SampleBinaries.Make(
        "macho_hello_fat",
        "llvm-lipo",
        output => ["-create", Linked("x86_64"), Linked("arm64"), "-output", output]);

    /// <summary>Relocatable objects: i386 (32-bit, cannot be linked here) and arm64.</summary>
    public static string Object(string target) => SampleBinaries.Build(
        "clang", "macho/hello.c", $"macho_hello_{target}.o", "-target", target, "-O1", "-c");

    public static IReadOnlyList<BinaryImage> Parse(string path) =>
        new MachOFormat().Parse(File.ReadAllBytes(path), CancellationToken.None);

    public static BinaryImage ParseSingle(string path) => Assert.Single(Parse(path));

    /// <summary>The slice of a universal file for <paramref name="arch"/>.</summary>
    public static BinaryImage Slice(IReadOnlyList<BinaryImage> images, string arch) => Assert.Single(images, i => i.Arch == arch);

    /// <summary>llvm-objdump arguments that select one architecture of a universal file (none for thin files).</summary>
    public static string[] ArchArgs(string? arch) => arch is null ? [] : [$"--arch={arch}"];

    private static string Tool(string name) =>
        ExternalTool.Find(name) ?? throw new InvalidOperationException($"'{name}' is not installed (lld package)");
}
