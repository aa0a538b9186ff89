using System.Globalization;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.MachO;

/// <summary>Function starts, entry point and header-flag mitigations against llvm-objdump.</summary>
public sealed class MachOEntryAndFunctionTests
{
    public static TheoryData<string, bool> Images => new()
    {
        { "x86_64", false },
        { "arm64", false },
        { "x86_64", true },
        { "arm64", true },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_FunctionStarts_EqualObjdumpFunctionStarts(string arch, bool universal)
    {
        var (image, path, archArgs) = Load(arch, universal);
        var output = ExternalTool.Run("llvm-objdump", ["--macho", "--function-starts", .. archArgs, path]);

        var expected = output.Split('\n').Where(l => l.Length > 0 && char.IsAsciiHexDigit(l[0]) && !l.Contains(':', StringComparison.Ordinal))
            .Select(l => ulong.Parse(l.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, image.FunctionSeeds.Where(s => s.Source == "function_starts").Select(s => s.Address));
        Assert.All(expected, address => Assert.Contains(image.FunctionSeeds, s => s.Source == "symbol" && s.Address == address));
    }

    /// <summary>
    /// Nothing in the file lists its functions (no <c>LC_FUNCTION_STARTS</c>, symbols stripped): every function llvm-nm names in
    /// the unstripped link is still found (from the entry point, calls and the code between), and nothing inside one of them.
    /// </summary>
    [Fact]
    public void WithoutFunctionStartsOrSymbols_EveryFunctionIsStillFound()
    {
        var (linked, stripped) = MachOSamples.WithoutFunctionStarts();
        Assert.DoesNotContain("LC_FUNCTION_STARTS", ExternalTool.Run("llvm-objdump", "--macho", "--private-headers", stripped), StringComparison.Ordinal);
        Assert.DoesNotContain(" T _main", ExternalTool.Run("llvm-nm", stripped), StringComparison.Ordinal);
        var truth = ExternalTool.Run("llvm-nm", "--defined-only", linked).Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 3 && f[1] is "T" or "t" && f[2] != "__mh_execute_header")
            .Select(f => ulong.Parse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        // "  1 __text        00000154 0000000100000650 TEXT": size, then address.
        var text = ExternalTool.Run("llvm-objdump", "-h", linked).Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(f => f.Length >= 4 && f[1] == "__text");
        var (size, start) = (ulong.Parse(text[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(text[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        var found = new AnalysisEngine().Analyze(File.ReadAllBytes(stripped)).Functions.Select(f => f.Address)
            .Where(a => a >= start && a < start + size).Order().ToList();

        Assert.Equal(4, truth.Count);
        Assert.Equal(truth, found);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_EntryPoint_IsTextAddressPlusLcMainEntryoff(string arch, bool universal)
    {
        var (image, path, _) = Load(arch, universal);
        var headers = ObjdumpMachO.PrivateHeaders(path, universal ? arch : null);

        var entryOffset = ObjdumpMachO.Number(Assert.Single(headers.CommandsOf("LC_MAIN"))["entryoff"]);
        var textAddress = ObjdumpMachO.Number(headers.CommandsOf("LC_SEGMENT_64").Single(c => c["segname"] == "__TEXT")["vmaddr"]);
        Assert.Equal(textAddress + entryOffset, image.EntryPoint);
        Assert.Equal(image.Symbols.Single(s => s.Name == "_main").Address, image.EntryPoint);
        Assert.Contains(new FunctionSeed(textAddress + entryOffset, null, "entry"), image.FunctionSeeds);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_Mitigations_FollowHeaderFlagsAndLoadCommands(string arch, bool universal)
    {
        var (image, path, _) = Load(arch, universal);
        var headers = ObjdumpMachO.PrivateHeaders(path, universal ? arch : null);
        var flags = headers.HeaderFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("PIE", flags);
        Assert.Equal(flags.Contains("PIE"), image.Mitigations.Pie);
        Assert.Equal(flags.Contains("MH_NO_HEAP_EXECUTION"), image.Mitigations.NoHeapExec);
        Assert.Equal(headers.CommandsOf("LC_CODE_SIGNATURE").Any(), image.Mitigations.CodeSignature);
        Assert.True(image.Mitigations.Canary);
        Assert.Null(image.Mitigations.Nx);
        Assert.Null(image.Mitigations.Aslr);
    }

    [Fact]
    public void Parse_UnixThread_TakesProgramCounterFromThreadState()
    {
        // Minimal x86_64 MH_EXECUTE with only an LC_UNIXTHREAD (x86_THREAD_STATE64, 42 words, rip = word pair 16).
        var bytes = new byte[32 + 184];
        Write(bytes, 0, 0xfeedfacf, 0x01000007, 3, 2, 1, 184, 0, 0);
        Write(bytes, 32, 5, 184, 4, 42);
        BitConverter.TryWriteBytes(bytes.AsSpan(32 + 16 + (16 * 8)), 0x100001234UL);

        var image = Assert.Single(new Formats.MachO.MachOFormat().Parse(bytes, CancellationToken.None));

        Assert.Empty(image.Errors);
        Assert.Equal(0x100001234UL, image.EntryPoint);
    }

    internal static void Write(byte[] bytes, int offset, params uint[] words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(offset + (i * 4)), words[i]);
        }
    }

    private static (BinaryImage Image, string Path, string[] ArchArgs) Load(string arch, bool universal)
    {
        if (!universal)
        {
            var thin = MachOSamples.Linked(arch);
            return (MachOSamples.ParseSingle(thin), thin, []);
        }
        var fat = MachOSamples.Universal();
        return (MachOSamples.Slice(MachOSamples.Parse(fat), arch), fat, MachOSamples.ArchArgs(arch));
    }
}
