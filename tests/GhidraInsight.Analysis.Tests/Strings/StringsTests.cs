using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GhidraInsight.Analysis.Strings;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Strings;

public sealed partial class StringsTests
{
    [Theory]
    [InlineData(RealBinaries.Ls, "s")]
    [InlineData("libcoreclr.so", "l")]
    [InlineData("libclrjit.so", "s")]
    [InlineData("System.Private.CoreLib.dll", "l")]
    public void Strings_AreExactlyThoseOfGnuStrings(string file, string encoding)
    {
        var path = File.Exists(file) ? file : RealBinaries.RuntimeLibrary(file);
        var expected = GnuStrings(path, encoding);
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(path));
        var ours = result.Strings
            .Where(s => s.Encoding == (encoding == "s" ? "ascii" : "utf-16le"))
            .Select(s => (s.Offset, s.Value))
            .ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, ours);
    }

    [Fact]
    public void Strings_InMixedEncodings_AreFoundWithTheirOffsets()
    {
        var bytes = new List<byte>();
        bytes.AddRange(new byte[] { 0x01, 0xff, 0x00 });
        var asciiAt = bytes.Count;
        bytes.AddRange("hello, world\t!"u8.ToArray());
        bytes.AddRange(new byte[] { 0x00, 0x80, 0x81, 0x07 });
        var utf16At = bytes.Count;
        bytes.AddRange(Encoding.Unicode.GetBytes("Wide Text"));
        bytes.AddRange(new byte[] { 0x00, 0x00, (byte)'a', (byte)'b', (byte)'c', 0x00 });
        var path = SampleBinaries.TempPath("mixed-strings.bin");
        File.WriteAllBytes(path, [.. bytes]);

        var result = new AnalysisEngine().Analyze(bytes.ToArray());

        Assert.Contains(result.Strings, s => s.Offset == asciiAt && s.Value == "hello, world\t!" && s.Encoding == "ascii");
        Assert.Contains(result.Strings, s => s.Offset == utf16At && s.Value == "Wide Text" && s.Encoding == "utf-16le");
        Assert.DoesNotContain(result.Strings, s => s.Value == "abc");
        Assert.Equal(GnuStrings(path, "s"), result.Strings.Where(s => s.Encoding == "ascii").Select(s => (s.Offset, s.Value)));
        Assert.Equal(GnuStrings(path, "l"), result.Strings.Where(s => s.Encoding == "utf-16le").Select(s => (s.Offset, s.Value)));
    }

    [Fact]
    public void Strings_InMappedSections_CarryAddressAndSection()
    {
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(RealBinaries.Ls));
        var inRodata = result.Strings.Where(s => s.Section == ".rodata").ToList();
        Assert.NotEmpty(inRodata);
        var rodata = result.Sections.Single(s => s.Name == ".rodata");
        Assert.All(inRodata, s => Assert.Equal(rodata.Address + (ulong)(s.Offset - rodata.Offset), s.Address));
    }

    private static List<(long Offset, string Value)> GnuStrings(string path, string encoding)
    {
        var output = ExternalTool.Run("strings", "-a", "-n", "4", "-t", "x", "-e", encoding, path);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => StringsLine().Match(line))
            .Where(m => m.Success)
            // We keep the first MaxValueLength characters of very long runs; strings(1) prints them whole.
            .Select(m => (long.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), Truncate(m.Groups[2].Value)))
            .ToList();
    }

    private static string Truncate(string value) =>
        value.Length > StringExtractor.MaxValueLength ? value[..StringExtractor.MaxValueLength] : value;

    [GeneratedRegex(@"^\s*([0-9a-f]+) (.*)$")]
    private static partial Regex StringsLine();
}
