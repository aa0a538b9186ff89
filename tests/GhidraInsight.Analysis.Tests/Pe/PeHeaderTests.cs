using System.Runtime.InteropServices;

namespace GhidraInsight.Analysis.Tests.Pe;

public sealed class PeHeaderTests
{
    private static readonly Dictionary<string, string> ArchByMachine = new()
    {
        ["IMAGE_FILE_MACHINE_I386"] = "x86",
        ["IMAGE_FILE_MACHINE_AMD64"] = "x86_64",
        ["IMAGE_FILE_MACHINE_ARM64"] = "arm64",
        ["IMAGE_FILE_MACHINE_ARMNT"] = "arm",
    };

    [Theory]
    [MemberData(nameof(PeSamples.NativeData), MemberType = typeof(PeSamples))]
    [InlineData(PeSamples.IlOnly)]
    public void Headers_EqualLlvmReadobjFileHeaders(string sample)
    {
        var root = ReadobjNode.Run(PeSamples.Path(sample), "--file-headers");
        var file = root.Descendants("ImageFileHeader").Single();
        var optional = root.Descendants("ImageOptionalHeader").Single();
        var dllFlags = optional.Child("Characteristics")!;
        var imageBase = ReadobjNode.Number(optional.Field("ImageBase")!);
        var entry = ReadobjNode.Number(optional.Field("AddressOfEntryPoint")!);
        var is64 = optional.Field("Magic") == "0x20B";

        var image = PeSamples.Parse(sample);

        Assert.Equal("pe", image.Format);
        Assert.Equal(ArchByMachine[file.Field("Machine")!.Split(' ')[0]], image.Arch);
        Assert.Equal(is64 ? "PE32+" : "PE32", image.Kind);
        Assert.Equal(is64 ? 64 : 32, image.Bits);
        Assert.Equal(file.Child("Characteristics")!.HasFlag("IMAGE_FILE_DLL") ? "dll" : "executable", image.FileType);
        Assert.Equal(imageBase, image.ImageBase);
        Assert.Equal(entry == 0 ? null : imageBase + entry, image.EntryPoint);
        Assert.Equal(dllFlags.HasFlag("IMAGE_DLL_CHARACTERISTICS_DYNAMIC_BASE"), image.Mitigations.Aslr);
        Assert.Equal(is64 && dllFlags.HasFlag("IMAGE_DLL_CHARACTERISTICS_HIGH_ENTROPY_VA"), image.Mitigations.HighEntropyVa);
        Assert.Equal(dllFlags.HasFlag("IMAGE_DLL_CHARACTERISTICS_NX_COMPAT"), image.Mitigations.Dep);
        Assert.Equal(dllFlags.HasFlag("IMAGE_DLL_CHARACTERISTICS_GUARD_CF"), image.Mitigations.Cfg);
        Assert.Equal(ReadobjNode.Number(optional.Descendants("DataDirectory").Single().Field("CertificateTableSize")!) > 0, image.Mitigations.Signed);
        Assert.Null(image.Mitigations.Nx);
        Assert.Null(image.Mitigations.CodeSignature);
    }

    [Fact]
    public void Mitigations_OfSamplesLinkedWithAndWithoutHardening_FollowTheLinkerFlags()
    {
        var hardened = PeSamples.Parse(PeSamples.Risky64);
        var plain = PeSamples.Parse(PeSamples.Risky32);

        Assert.True(hardened.Mitigations.Aslr);
        Assert.True(hardened.Mitigations.HighEntropyVa);
        Assert.True(hardened.Mitigations.Dep);
        Assert.Null(hardened.Mitigations.SafeSeh); // not applicable to x64
        Assert.False(plain.Mitigations.Aslr);
        Assert.False(plain.Mitigations.Dep);
        Assert.False(plain.Mitigations.HighEntropyVa);
    }

    [Fact]
    public void SafeSeh_OfPe32_FollowsLoadConfigHandlerTableOrNoSeh()
    {
        // mingw's i686 output has no load config (llvm-readobj prints no LoadConfig block) and no NO_SEH flag.
        var mingw = ReadobjNode.Run(PeSamples.Path(PeSamples.Risky32), "--coff-load-config");
        Assert.Null(mingw.Child("LoadConfig"));
        Assert.False(PeSamples.Parse(PeSamples.Risky32).Mitigations.SafeSeh);

        // IL-only assemblies set NO_SEH: the loader accepts no handler inside them.
        var il = ReadobjNode.Run(PeSamples.Path(PeSamples.IlOnly), "--file-headers");
        Assert.True(il.Descendants("ImageOptionalHeader").Single().Child("Characteristics")!.HasFlag("IMAGE_DLL_CHARACTERISTICS_NO_SEH"));
        Assert.True(PeSamples.Parse(PeSamples.IlOnly).Mitigations.SafeSeh);
    }

    [Fact]
    public void ReadyToRunCoreLib_DecodesTheOsXoredMachine()
    {
        var root = ReadobjNode.Run(PeSamples.Path(PeSamples.ReadyToRun), "--file-headers");
        var machine = (ushort)ReadobjNode.Number(root.Descendants("ImageFileHeader").Single().Field("Machine")!);
        // The CoreLib next to this test process was compiled for this process's architecture and OS.
        var (arch, native) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => ("x86_64", (ushort)0x8664),
            Architecture.Arm64 => ("arm64", (ushort)0xAA64),
            var other => throw new InvalidOperationException($"no expectation for {other}"),
        };
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "apple" : "windows";

        var image = PeSamples.Parse(PeSamples.ReadyToRun);

        // llvm-readobj shows the raw value; only Windows builds leave it unXORed.
        Assert.Equal(os == "windows", machine == native);
        Assert.Equal(arch, image.Arch);
        Assert.Equal(os == "windows" ? "PE32+" : $"PE32+ (ReadyToRun, {os})", image.Kind);
        Assert.Equal(64, image.Bits);
    }
}
