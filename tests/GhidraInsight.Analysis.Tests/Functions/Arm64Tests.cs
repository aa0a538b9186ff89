using System.Globalization;
using System.Text.RegularExpressions;
using GhidraInsight.Analysis.Functions.Arm64;
using GhidraInsight.Analysis.Model;
using GhidraInsight.Analysis.Tests.MachO;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>
/// AArch64 (Capstone 4): functions, calls and disassembly of ELF aarch64 and Mach-O arm64 samples built at test time with clang
/// and lld, checked against the symbol tables (readelf, llvm-nm) and against llvm-objdump at every address both decode.
/// </summary>
public sealed partial class Arm64Tests
{
    /// <summary>The sample with its symbols and, unless <paramref name="unwind"/> is false, its <c>.eh_frame</c>.</summary>
    private static string Built(bool unwind) => unwind
        ? CommonSamples.ElfAarch64()
        : SampleBinaries.Build("clang", "arm64/calls.c", "arm64_calls_nounwind",
            "--target=aarch64-linux-gnu", "-O1", "-ffreestanding", "-nostdlib", "-fuse-ld=lld", "-static", "-Wl,-e,main",
            "-fno-asynchronous-unwind-tables", "-fno-unwind-tables");

    /// <summary>The sample as a Windows on ARM executable (clang and lld-link; no SDK: it calls nothing outside itself).</summary>
    private static string Pe() => SampleBinaries.Build("clang", "arm64/calls.c", "arm64_calls.exe",
        "--target=aarch64-pc-windows-msvc", "-O1", "-ffreestanding", "-nostdlib", "-fuse-ld=lld", "-Wl,/entry:main", "-Wl,/subsystem:console");

    /// <summary>The sample without unwind tables, stripped of its symbols: only the entry point is left.</summary>
    private static string Stripped() => SampleBinaries.Make("arm64_calls_stripped", "llvm-strip", output => ["-o", output, Built(unwind: false)]);

    [Fact]
    public void ElfAarch64_EveryFunctionSymbolIsFound_WithTheCallsObjdumpShows()
    {
        var path = Built(unwind: true);
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(path));
        var symbols = FunctionSymbols(path);
        var listing = Listing(path);

        Assert.Equal("arm64", result.Binary.Arch);
        Assert.Empty(result.Errors);
        Assert.True(symbols.Count >= 8, $"the sample has {symbols.Count} function symbols");
        foreach (var (address, (name, size)) in symbols)
        {
            var function = Assert.Single(result.Functions, f => f.Address == address);
            Assert.Equal(name, function.Name);
            Assert.Equal(size, function.Size);
            Assert.Equal(listing.Calls(address, address + (ulong)size), function.Calls.ToHashSet());
        }
        Assert.Equal(symbols.Keys.Order(), result.Functions.Select(f => f.Address));
    }

    [Fact]
    public void StrippedWithoutUnwindTables_EveryFunctionIsFoundFromTheEntryPoint()
    {
        var truth = FunctionSymbols(Built(unwind: false));
        var stripped = Stripped();
        Assert.Empty(FunctionSymbols(stripped));

        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(stripped));

        // Recall and precision 1.0 on this sample: every function is reached by calls from main.
        Assert.Equal(truth.Keys.Order(), result.Functions.Select(f => f.Address));
        Assert.Contains(result.Functions, f => f.Source == "entry");
    }

    [Fact]
    public void MachOArm64_FunctionsAndCalls_AgreeWithItsSymbolsAndObjdump()
    {
        var path = MachOSamples.Linked("arm64");
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(path));
        var listing = Listing(path);
        var named = result.Functions.Where(f => f.Name is "_main" or "_add_numbers" or "_copy_name").ToList();

        Assert.Equal("arm64", result.Binary.Arch);
        Assert.Equal(3, named.Count);
        foreach (var function in result.Functions)
        {
            Assert.True(listing.Instructions.ContainsKey(function.Address), $"objdump lists no instruction at {function.Address:x}");
            Assert.Equal(listing.Calls(function.Address, function.Address + (ulong)function.Size), function.Calls.ToHashSet());
        }
        Assert.NotEmpty(named.Single(f => f.Name == "_main").Calls);
    }

    [Fact]
    public void PeArm64_EveryFunctionIsFoundFromTheEntryPoint_WithTheCallsObjdumpShows()
    {
        var path = Pe();
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(path));
        var listing = Listing(path);

        Assert.Equal(("pe", "arm64"), (result.Binary.Format, result.Binary.Arch));
        // The same eight functions the ELF build names in its symbol table, here with no symbols at all.
        Assert.Equal(FunctionSymbols(Built(unwind: true)).Count, result.Functions.Count);
        // Every bl target in the file is a function.
        Assert.Subset(result.Functions.Select(f => f.Address).ToHashSet(), listing.Calls(0, ulong.MaxValue));
        foreach (var function in result.Functions)
        {
            Assert.Equal(listing.Calls(function.Address, function.Address + (ulong)function.Size), function.Calls.ToHashSet());
        }
    }

    [Theory]
    [InlineData("elf")]
    [InlineData("macho")]
    [InlineData("pe")]
    public void Disassembly_AgreesWithLlvmObjdump_AtEveryAddressBothDecode(string format)
    {
        var path = format switch { "elf" => Built(unwind: true), "macho" => MachOSamples.Linked("arm64"), _ => Pe() };
        var engine = new AnalysisEngine();
        var bytes = File.ReadAllBytes(path);
        var result = engine.Analyze(bytes);
        var listing = Listing(path);
        var (compared, same, mismatches) = (0, 0, new List<string>());
        foreach (var function in result.Functions)
        {
            var detail = engine.DescribeFunction(bytes, result, function.Address)!;
            Assert.Equal(function.InstructionCount, detail.Instructions.Count);
            foreach (var instruction in detail.Instructions)
            {
                Assert.True(listing.Instructions.TryGetValue(instruction.Address, out var theirs), $"objdump lists nothing at {instruction.Address:x}");
                Assert.Equal(theirs.Bytes, instruction.Bytes);
                compared++;
                var (flow, target) = Arm64Decoder.Classify(instruction.Mnemonic, instruction.Text[instruction.Mnemonic.Length..].Trim());
                if (flow is Arm64Flow.Call or Arm64Flow.Jump or Arm64Flow.ConditionalJump)
                {
                    // Every branch: the same mnemonic and the same target (named when the target is a function).
                    Assert.Equal(theirs.Mnemonic, instruction.Mnemonic);
                    Assert.Equal(theirs.Target, target ?? FunctionAt(result, instruction.Text));
                }
                if (theirs.Mnemonic == instruction.Mnemonic || Aliases.Contains((instruction.Mnemonic, theirs.Mnemonic)))
                {
                    same++;
                }
                else
                {
                    mismatches.Add($"{instruction.Address:x}: {instruction.Text} / {theirs.Mnemonic}");
                }
            }
        }
        Assert.True(compared > 40, $"only {compared} instructions compared");
        // Capstone 4 and LLVM 14 print a few aliases differently; anything else is a disagreement.
        Assert.True(mismatches.Count == 0, $"{same} of {compared} agree; differ: {string.Join("; ", mismatches.Take(20))}");
    }

    [Theory]
    [InlineData("bl", "#0x2101d8", "Call", 0x2101d8UL)]
    [InlineData("b.hi", "#0x21020c", "ConditionalJump", 0x21020cUL)]
    [InlineData("tbnz", "w0, #3, #0x1000", "ConditionalJump", 0x1000UL)]
    [InlineData("cbz", "x1, #0x40", "ConditionalJump", 0x40UL)]
    [InlineData("b", "#0x100003f50", "Jump", 0x100003f50UL)]
    [InlineData("br", "x16", "IndirectJump", null)]
    [InlineData("blr", "x8", "IndirectCall", null)]
    [InlineData("ret", "", "Return", null)]
    [InlineData("brk", "#0x3e8", "Trap", null)]
    [InlineData("add", "x0, x0, #0x10", "Next", null)]
    public void Branches_AreClassifiedFromCapstonesText(string mnemonic, string operands, string flow, ulong? target) =>
        Assert.Equal((Enum.Parse<Arm64Flow>(flow), target), Arm64Decoder.Classify(mnemonic, operands));

    /// <summary>Aliases Capstone 4 and llvm-objdump print differently for the same encoding (ours, theirs).</summary>
    private static readonly HashSet<(string, string)> Aliases = [("movz", "mov"), ("movn", "mov"), ("orr", "mov"), ("ubfm", "lsl"), ("ubfm", "lsr"), ("sbfm", "asr"), ("csinc", "cset"), ("csinv", "csetm")];

    private static ulong? FunctionAt(AnalysisResult result, string text) =>
        result.Functions.FirstOrDefault(f => f.Name is { } name && text.EndsWith(" " + name, StringComparison.Ordinal))?.Address;

    /// <summary>FUNC symbols with a size, by address: name and size (readelf for ELF).</summary>
    private static Dictionary<ulong, (string Name, long Size)> FunctionSymbols(string path)
    {
        var symbols = new Dictionary<ulong, (string, long)>();
        foreach (Match m in ReadelfFunction().Matches(ExternalTool.Run("readelf", "-sW", path)))
        {
            var size = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (size > 0)
            {
                symbols[ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = (m.Groups[3].Value, size);
            }
        }
        return symbols;
    }

    private static ArmListing Listing(string path)
    {
        var instructions = new Dictionary<ulong, (string, string, ulong?)>();
        foreach (Match m in ObjdumpLine().Matches(ExternalTool.Run("llvm-objdump", "-d", path)))
        {
            var address = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mnemonic = m.Groups[3].Value;
            var isBranch = mnemonic is "b" or "bl" or "cbz" or "cbnz" or "tbz" or "tbnz" || mnemonic.StartsWith("b.", StringComparison.Ordinal);
            var branch = BranchTarget().Match(m.Groups[4].Value);
            var target = isBranch && branch.Success ? ulong.Parse(branch.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : (ulong?)null;
            instructions[address] = (m.Groups[2].Value.Replace(" ", "", StringComparison.Ordinal), mnemonic, target);
        }
        return new ArmListing(instructions);
    }

    private sealed class ArmListing(Dictionary<ulong, (string Bytes, string Mnemonic, ulong? Target)> instructions)
    {
        public Dictionary<ulong, (string Bytes, string Mnemonic, ulong? Target)> Instructions { get; } = instructions;

        /// <summary>The targets of <c>bl</c> in [start, end).</summary>
        public HashSet<ulong> Calls(ulong start, ulong end) =>
            [.. Instructions.Where(i => i.Key >= start && i.Key < end && i.Value.Mnemonic == "bl" && i.Value.Target is not null).Select(i => i.Value.Target!.Value)];
    }

    [GeneratedRegex(@"^[ \t]*\d+:[ \t]+([0-9a-f]+)[ \t]+(\d+)[ \t]+FUNC[ \t]+\w+[ \t]+\w+[ \t]+\S+[ \t]+(\S+)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex ReadelfFunction();

    [GeneratedRegex(@"^[ \t]*([0-9a-f]+):[ \t]+((?:[0-9a-f]{2} ){4})[ \t]*(\S+)[ \t]*(.*)$", RegexOptions.Multiline)]
    private static partial Regex ObjdumpLine();

    [GeneratedRegex(@"0x([0-9a-f]+)(?:\s+<[^>]*>)?\s*$")]
    private static partial Regex BranchTarget();
}
