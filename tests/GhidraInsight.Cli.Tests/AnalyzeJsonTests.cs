using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed partial class AnalyzeJsonTests
{
    [Fact]
    public async Task AnalyzeJson_WithOneFile_PrintsOneObjectKeyedBySha256WithReadelfEntryPoint()
    {
        var path = Samples.Program;

        var run = await CliProcess.RunAsync("analyze", "--json", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.ErrorLines);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), root.GetProperty("analysis_id").GetString());
        var binary = root.GetProperty("binary");
        Assert.Equal("elf", binary.GetProperty("format").GetString());
        var entry = binary.GetProperty("entry_point").GetString();
        Assert.Matches(HexAddress(), entry);
        Assert.Equal(ReadelfEntryPoint(path), ulong.Parse(entry![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AnalyzeJson_WithSystemBinary_WritesEveryAddressAsHexString()
    {
        var run = await CliProcess.RunAsync("analyze", "--json", Samples.Ls);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        var sections = root.GetProperty("sections").EnumerateArray().ToList();
        var functions = root.GetProperty("functions").EnumerateArray().ToList();
        Assert.Contains(sections, s => s.GetProperty("name").GetString() == ".text");
        Assert.NotEmpty(functions);
        foreach (var address in sections.Concat(functions).Select(e => e.GetProperty("address")))
        {
            Assert.Equal(JsonValueKind.String, address.ValueKind);
            Assert.Matches(HexAddress(), address.GetString());
        }
    }

    [Fact]
    public async Task AnalyzeJson_WithDirectory_PrintsArrayWithOneResultPerFileSortedByPath()
    {
        var folder = Samples.NewFolder();
        File.Copy(Samples.Program, Path.Combine(folder, "a-program"));
        File.WriteAllText(Path.Combine(folder, "b-notes.txt"), "just some notes, not a binary\n");
        File.Copy(Samples.Ls, Path.Combine(folder, "c-ls"));
        var expectedIds = new[] { "a-program", "b-notes.txt", "c-ls" }
            .Select(name => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name)))))
            .ToList();

        var run = await CliProcess.RunAsync("analyze", "--json", folder);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.ErrorLines);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        var results = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(expectedIds, results.Select(r => r.GetProperty("analysis_id").GetString()));
        Assert.Equal(["elf", "unknown", "elf"], results.Select(r => r.GetProperty("binary").GetProperty("format").GetString()));
        Assert.NotEmpty(results[1].GetProperty("errors").EnumerateArray());
        Assert.Empty(results[0].GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task AnalyzeJson_WithTwoFiles_PrintsArrayOfTwo()
    {
        var run = await CliProcess.RunAsync("analyze", "--json", Samples.Program, Samples.Ls);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Equal(2, json.RootElement.GetArrayLength());
    }

    private static ulong ReadelfEntryPoint(string path)
    {
        var match = ReadelfEntryLine().Match(ExternalTool.Run("readelf", "-h", path));
        Assert.True(match.Success, "readelf -h printed no entry point");
        return ulong.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^0x[0-9a-f]+$")]
    private static partial Regex HexAddress();

    [GeneratedRegex(@"Entry point address:\s+0x([0-9a-fA-F]+)")]
    private static partial Regex ReadelfEntryLine();
}
