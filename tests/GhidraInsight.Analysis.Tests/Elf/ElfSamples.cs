using System.Runtime.InteropServices;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Formats.Elf;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Elf;

/// <summary>The ELF files the tests compare against readelf, objdump and checksec, by a short name.</summary>
internal static class ElfSamples
{
    /// <summary>Linked with glibc on the host: x86_64.</summary>
    public static readonly string[] HostExecutables = ["vuln-nopie", "vuln-hardened", "library-so", "usr-bin-ls", "dotnet-clrjit"];

    /// <summary>Other classes and byte orders, built by clang without libc.</summary>
    public static readonly string[] CrossTargets =
        ["i386-so", "ppc-so", "ppc64-so", "aarch64-so", "arm-so", "mips-so", "i386-o", "ppc-o", "s390x-o", "mips-o", "aarch64-o"];

    public static IEnumerable<string> All => HostExecutables.Concat(CrossTargets);

    public static TheoryData<string> AllData => [.. All];

    public static TheoryData<string> LinkedData => [.. All.Where(n => !n.EndsWith("-o", StringComparison.Ordinal))];

    public static TheoryData<string> HostData => [.. HostExecutables];

    public static string PathOf(string name) => name switch
    {
        "vuln-nopie" => SampleBinaries.Build("gcc", "elf/vuln.c", "elf-vuln-nopie",
            "-O1", "-no-pie", "-fno-stack-protector", "-z", "execstack", "-z", "norelro"),
        "vuln-hardened" => SampleBinaries.Build("gcc", "elf/vuln.c", "elf-vuln-hardened",
            "-O2", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-fPIE", "-pie", "-Wl,-z,relro,-z,now"),
        "library-so" => SampleBinaries.Build("gcc", "elf/library.c", "elf-library.so", "-O2", "-shared", "-fPIC"),
        "usr-bin-ls" => "/usr/bin/ls",
        "dotnet-clrjit" => Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libclrjit.so"),
        "no-section-headers" => SampleBinaries.Make("elf-vuln-no-section-headers", "llvm-objcopy",
            output => ["--strip-sections", PathOf("vuln-hardened"), output]),
        _ when name.EndsWith("-so", StringComparison.Ordinal) => SampleBinaries.Build("clang", "elf/freestanding.c", $"elf-{name}.so",
            $"--target={Triple(name)}", "-O1", "-fPIC", "-shared", "-nostdlib", "-fuse-ld=lld"),
        _ when name.EndsWith("-o", StringComparison.Ordinal) => SampleBinaries.Build("clang", "elf/freestanding.c", $"elf-{name}.o",
            $"--target={Triple(name)}", "-O1", "-c"),
        _ => throw new ArgumentException($"unknown ELF sample {name}", nameof(name)),
    };

    public static BinaryImage Parse(string name)
    {
        var images = new ElfFormat().Parse(File.ReadAllBytes(PathOf(name)), CancellationToken.None);
        return Assert.Single(images);
    }

    private static string Triple(string name) => name[..name.LastIndexOf('-')] switch
    {
        "i386" => "i386-linux-gnu",
        "ppc" => "powerpc-linux-gnu",
        "ppc64" => "powerpc64-linux-gnu",
        "arm" => "armv7-linux-gnueabihf",
        "s390x" => "s390x-linux-gnu",
        "mips" => "mips-linux-gnu",
        "aarch64" => "aarch64-linux-gnu",
        var arch => throw new ArgumentException($"no target triple for {arch}", nameof(name)),
    };
}
