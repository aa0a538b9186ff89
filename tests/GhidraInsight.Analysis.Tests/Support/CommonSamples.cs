namespace GhidraInsight.Analysis.Tests.Support;

/// <summary><c>Samples/common/program.c</c> built for each format the engine reads.</summary>
internal static class CommonSamples
{
    public static string Elf64() => SampleBinaries.Build("gcc", "common/program.c", "program_elf64", "-O1", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2");

    public static string Pe64() => SampleBinaries.Build("x86_64-w64-mingw32-gcc", "common/program.c", "program_pe64.exe", "-O1", "-s");

    public static string Pe32() => SampleBinaries.Build("i686-w64-mingw32-gcc", "common/program.c", "program_pe32.exe", "-O1", "-s");

    public static string MachO64() => MachO.MachOSamples.Linked("x86_64");

    /// <summary>A freestanding AArch64 program (clang and lld, no sysroot needed).</summary>
    public static string ElfAarch64() => SampleBinaries.Build("clang", "arm64/calls.c", "arm64_calls",
        "--target=aarch64-linux-gnu", "-O1", "-ffreestanding", "-nostdlib", "-fuse-ld=lld", "-static", "-Wl,-e,main");

    public static string MachOUniversal() => MachO.MachOSamples.Universal();
}
