using System.Runtime.InteropServices;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Formats.Pe;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Pe;

/// <summary>
/// PE files the tests compare against llvm-readobj/objdump: mingw builds of Samples/pe, the .NET runtime's own
/// DLLs (IL-only PE32 and ReadyToRun PE32+) and a DLL shipped with mingw.
/// </summary>
internal static class PeSamples
{
    public const string Risky64 = "risky64";
    public const string Risky32 = "risky32";
    public const string Exports64 = "exports64";
    public const string Exports32 = "exports32";
    public const string UsesDll64 = "usedll64";
    public const string Delay64 = "delay64";
    public const string ReadyToRun = "corelib";
    public const string IlOnly = "system.runtime";
    public const string MingwRuntime = "libgcc_s_seh";

    public static readonly string[] All = [Risky64, Risky32, Exports64, Exports32, UsesDll64, Delay64, ReadyToRun, IlOnly, MingwRuntime];

    /// <summary>Samples llvm-readobj fully understands (it cannot decode a ReadyToRun Machine value).</summary>
    public static readonly string[] Native = [Risky64, Risky32, Exports64, Exports32, UsesDll64, Delay64, MingwRuntime];

    public static TheoryData<string> AllData => [.. All];
    public static TheoryData<string> NativeData => [.. Native];

    public static string Path(string key) => key switch
    {
        Risky64 => SampleBinaries.Build("x86_64-w64-mingw32-gcc", "pe/risky.c", "pe-risky64.exe",
            "-O1", "-Wl,--dynamicbase,--nxcompat,--high-entropy-va"),
        Risky32 => SampleBinaries.Build("i686-w64-mingw32-gcc", "pe/risky.c", "pe-risky32.exe",
            "-O1", "-Wl,--disable-dynamicbase,--disable-nxcompat"),
        Exports64 => SampleBinaries.Build("x86_64-w64-mingw32-gcc", "pe/peexports.c", "peexports64.dll",
            "-O1", "-shared", SampleBinaries.SourcePath("pe/peexports.def")),
        Exports32 => SampleBinaries.Build("i686-w64-mingw32-gcc", "pe/peexports.c", "peexports32.dll",
            "-O1", "-shared", SampleBinaries.SourcePath("pe/peexports.def")),
        UsesDll64 => SampleBinaries.Make("pe-usedll64.exe", "x86_64-w64-mingw32-gcc",
            output => ["-O1", "-o", output, SampleBinaries.SourcePath("pe/usedll.c"), ImportLibrary64()]),
        // GNU ld has no --delayload; lld's MinGW driver does, with the runtime libraries of mingw's gcc.
        Delay64 => SampleBinaries.Make("pe-delay64.exe", "clang",
            output => ["--target=x86_64-w64-mingw32", "-fuse-ld=lld", "-L" + MingwGccLibDir(), "-O1", "-o", output,
                SampleBinaries.SourcePath("pe/usedll.c"), ImportLibrary64(), "-Wl,--delayload=peexports.dll"]),
        ReadyToRun => System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "System.Private.CoreLib.dll"),
        IlOnly => System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "System.Runtime.dll"),
        MingwRuntime => ExternalTool.Run("x86_64-w64-mingw32-gcc", "-print-file-name=libgcc_s_seh-1.dll").Trim(),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "unknown PE sample"),
    };

    public static BinaryImage Parse(string key) => Parse(File.ReadAllBytes(Path(key)));

    public static BinaryImage Parse(byte[] bytes)
    {
        var images = new PeFormat().Parse(bytes, CancellationToken.None);
        return Assert.Single(images);
    }

    /// <summary>A short-format import library for peexports.dll (llvm-dlltool), usable by GNU ld and lld alike.</summary>
    private static string ImportLibrary64() => SampleBinaries.Make("libpeexports64.a", "llvm-dlltool",
        output => ["-m", "i386:x86-64", "-d", SampleBinaries.SourcePath("pe/peexports-import.def"), "-l", output]);

    private static string MingwGccLibDir() =>
        System.IO.Path.GetDirectoryName(ExternalTool.Run("x86_64-w64-mingw32-gcc", "-print-libgcc-file-name").Trim())!;
}
