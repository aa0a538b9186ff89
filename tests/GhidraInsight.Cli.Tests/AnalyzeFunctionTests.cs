using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed partial class AnalyzeFunctionTests
{
    [Fact]
    public async Task AnalyzeFunctionJson_AtMain_MatchesObjdumpAddressesAndBytes()
    {
        var path = Samples.Program;
        var (main, size) = ReadelfSymbol(path, "main");

        var run = await CliProcess.RunAsync("analyze", "--json", "--function", Hex(main), path);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var function = json.RootElement.GetProperty("function");
        Assert.Equal(Hex(main), function.GetProperty("address").GetString());
        Assert.Equal("main", function.GetProperty("name").GetString());
        var ours = json.RootElement.GetProperty("instructions").EnumerateArray()
            .ToDictionary(i => ParseHex(i.GetProperty("address").GetString()!), i => i.GetProperty("bytes").GetString()!);
        Assert.NotEmpty(ours);
        var reference = ObjdumpInstructions(path, main, main + size);
        Assert.NotEmpty(reference);
        Assert.Equal(reference.Keys.Order(), ours.Keys.Order());
        foreach (var (address, bytes) in reference)
        {
            Assert.True(bytes == ours[address], $"at {Hex(address)}: objdump {bytes}, ghidrainsight {ours[address]}");
        }
    }

    [Fact]
    public async Task AnalyzeFunction_AtMainAsText_NamesItAndShowsCalls()
    {
        var (main, _) = ReadelfSymbol(Samples.Program, "main");

        var run = await CliProcess.RunAsync("analyze", "--function", Hex(main), Samples.Program);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.ErrorLines);
        Assert.StartsWith($"{Hex(main)} main ", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+[0-9a-f]+:\s+[0-9a-f]+\s+call ", run.Stdout);
    }

    [Fact]
    public async Task AnalyzeFunction_WhereThereIsNone_ExitsOneWithOneErrorLine()
    {
        var run = await CliProcess.RunAsync("analyze", "--function", "0x1", Samples.Program);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains("0x1", error, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        run.AssertNoStackTrace();
    }

    [Fact]
    public async Task AnalyzeFunction_WithTwoFiles_ExitsTwo()
    {
        var run = await CliProcess.RunAsync("analyze", "--function", "0x1000", Samples.Program, Samples.Ls);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.ErrorLines);
    }

    private static (ulong Address, ulong Size) ReadelfSymbol(string path, string name)
    {
        foreach (var line in ExternalTool.Run("readelf", "-sW", path).Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 8 && fields[7] == name && fields[3] == "FUNC")
            {
                return (ulong.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(fields[2], CultureInfo.InvariantCulture));
            }
        }
        throw new InvalidOperationException($"readelf -sW {path} has no function symbol {name}");
    }

    /// <summary>Address → bytes (lowercase hex, no spaces) of each instruction objdump decodes in [start, stop).</summary>
    private static Dictionary<ulong, string> ObjdumpInstructions(string path, ulong start, ulong stop)
    {
        var instructions = new Dictionary<ulong, string>();
        ulong? last = null;
        var text = ExternalTool.Run("objdump", "-d", $"--start-address={Hex(start)}", $"--stop-address={Hex(stop)}", path);
        foreach (var line in text.Split('\n'))
        {
            var match = ObjdumpLine().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var address = ParseHex(match.Groups["address"].Value);
            var bytes = match.Groups["bytes"].Value.Replace(" ", "", StringComparison.Ordinal);
            if (match.Groups["text"].Success)
            {
                instructions[address] = bytes;
                last = address;
            }
            else if (last is { } previous)
            {
                // A long instruction's remaining bytes, on a line of their own.
                instructions[previous] += bytes;
            }
        }
        return instructions;
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static ulong ParseHex(string text) =>
        ulong.Parse(text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    // "    11fd:\te8 b4 ff ff ff       \tcall   11b6 <remember>"; continuation lines have no third field.
    [GeneratedRegex(@"^\s*(?<address>[0-9a-f]+):\t(?<bytes>[0-9a-f]{2}(?: [0-9a-f]{2})*)\s*(?:\t(?<text>.+))?$")]
    private static partial Regex ObjdumpLine();
}
