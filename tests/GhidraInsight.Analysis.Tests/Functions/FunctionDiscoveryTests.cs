using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Functions;

public sealed class FunctionDiscoveryTests
{
    public static TheoryData<string> Samples => ["program-elf", "program-pe64", "program-pe32", "ls", "program-macho"];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Functions_IncludeEveryStartTheFileDeclares(string sample)
    {
        // Seeds come from symbols, entry point, .eh_frame, .pdata and LC_FUNCTION_STARTS; the parsers' own tests
        // check them against readelf, llvm-readobj and llvm-objdump. Discovery must keep every one that is code.
        var bytes = File.ReadAllBytes(PathOf(sample));
        var result = new AnalysisEngine().Analyze(bytes);
        var image = AnalysisEngine.ParseImages(bytes, CancellationToken.None)[0];
        var map = new AddressMap(image.Regions);
        var starts = result.Functions.Select(f => f.Address).ToHashSet();
        var declared = image.FunctionSeeds.Where(s => map.RegionAt(s.Address) is { Executable: true }).Select(s => s.Address).ToHashSet();

        Assert.NotEmpty(declared);
        Assert.Subset(starts, declared);
        Assert.True(result.Functions.Count(f => f.Source == "call") >= 0);
        Assert.All(result.Functions, f => Assert.True(f.InstructionCount > 0, $"function {f.Address:x} has no instructions"));
    }

    [Theory]
    [InlineData("program-elf")]
    [InlineData("ls")]
    [InlineData("program-pe64")]
    [InlineData("program-pe32")]
    public void Instructions_AgreeWithObjdump_AtEveryAddressBothDecode(string sample)
    {
        var path = PathOf(sample);
        var bytes = File.ReadAllBytes(path);
        var engine = new AnalysisEngine();
        var result = engine.Analyze(bytes);
        var objdump = ObjdumpListing.Of(path);
        int compared = 0, ours = 0;
        foreach (var function in result.Functions)
        {
            var detail = engine.DescribeFunction(bytes, result, function.Address)!;
            Assert.Equal(function.InstructionCount, detail.Instructions.Count);
            foreach (var instruction in detail.Instructions)
            {
                ours++;
                if (objdump.Instructions.TryGetValue(instruction.Address, out var theirs))
                {
                    compared++;
                    // objdump folds an fwait (9b) into the x87 instruction after it (9b df e0 "fstsw %ax"); we list the wait on its own.
                    if (!(instruction.Bytes == "9b" && theirs.Bytes.StartsWith("9b", StringComparison.Ordinal)))
                    {
                        Assert.Equal(theirs.Bytes, instruction.Bytes);
                    }
                }
            }
        }
        // objdump sweeps linearly and we follow control flow: nearly every instruction we reach, it lists too.
        Assert.True(compared > 0.95 * ours, $"only {compared} of {ours} instructions are at addresses objdump lists");
    }

    [Theory]
    [InlineData("program-elf")]
    [InlineData("program-pe64")]
    public void Calls_AreTheDirectCallsObjdumpShows(string sample)
    {
        var path = PathOf(sample);
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(path));
        var objdump = ObjdumpListing.Of(path);
        var checkedFunctions = 0;
        foreach (var function in result.Functions.Where(f => f.Size > 0))
        {
            var theirs = objdump.DirectCalls(function.Address, function.Address + (ulong)function.Size);
            // Ours also lists calls through import slots (call [rip+x]); objdump's direct calls must all be there.
            Assert.Subset(function.Calls.ToHashSet(), theirs);
            checkedFunctions += theirs.Count > 0 ? 1 : 0;
        }
        Assert.True(checkedFunctions >= 3);
    }

    [Fact]
    public void Callers_AreDerivedFromCalls_AndNamesComeFromSymbols()
    {
        var bytes = File.ReadAllBytes(PathOf("program-elf"));
        var engine = new AnalysisEngine();
        var result = engine.Analyze(bytes);
        FunctionInfo Named(string name) => Assert.Single(result.Functions, f => f.Name == name);
        var checksum = Named("checksum");
        var detail = engine.DescribeFunction(bytes, result, checksum.Address)!;

        Assert.Contains(Named("remember").Address, detail.Callers);
        Assert.Contains(checksum.Address, Named("remember").Calls);
        Assert.Contains(detail.Instructions, i => i.Mnemonic == "call" && i.Text.Contains("mix", StringComparison.Ordinal));
        // Inside a function, the detail is found for any address it covers.
        Assert.Equal(checksum.Address, engine.DescribeFunction(bytes, result, checksum.Address + 1)!.Function.Address);
        Assert.Null(engine.DescribeFunction(bytes, result, 0x1));
    }

    [Fact]
    public void PltStubs_AreNamedInCallsAndDisassembly()
    {
        var bytes = File.ReadAllBytes(PathOf("program-elf"));
        var engine = new AnalysisEngine();
        var result = engine.Analyze(bytes);
        var remember = Assert.Single(result.Functions, f => f.Name == "remember");
        var detail = engine.DescribeFunction(bytes, result, remember.Address)!;
        Assert.Contains(detail.Instructions, i => i.Text.Contains("strcpy@plt", StringComparison.Ordinal) || i.Text.Contains("__strcpy_chk@plt", StringComparison.Ordinal));
    }

    internal static string PathOf(string sample) => sample switch
    {
        "program-elf" => CommonSamples.Elf64(),
        "program-pe64" => CommonSamples.Pe64(),
        "program-pe32" => CommonSamples.Pe32(),
        "program-macho" => CommonSamples.MachO64(),
        "ls" => RealBinaries.Ls,
        _ => throw new ArgumentException(sample, nameof(sample)),
    };
}
