using System.Buffers.Binary;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Formats.Elf;

namespace GhidraInsight.Analysis.Tests.Elf;

/// <summary>Corrupted input: the parser returns what it could read plus errors, and never throws.</summary>
public sealed class ElfMalformedTests
{
    [Fact]
    public void Parse_ReturnsErrorsWithoutThrowing_ForTruncationsAtManyLengths()
    {
        var bytes = File.ReadAllBytes(ElfSamples.PathOf("vuln-hardened"));
        var lengths = Enumerable.Range(0, 80).Concat(Enumerable.Range(0, bytes.Length / 97).Select(i => i * 97)).Append(bytes.Length - 1);

        foreach (var length in lengths)
        {
            var image = ParseSingle(bytes.AsMemory(0, length));
            Assert.NotEmpty(image.Errors);
        }
    }

    [Fact]
    public void Parse_KeepsSectionsThatFit_WhenTheSectionTableIsCut()
    {
        var bytes = File.ReadAllBytes(ElfSamples.PathOf("vuln-hardened"));
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40));

        var image = ParseSingle(bytes.AsMemory(0, shoff + (64 * 6) + 10));

        Assert.Equal(5, image.Sections.Count);
        Assert.Contains(image.Errors, e => e.Code == "truncated");
        Assert.NotEmpty(image.Segments);
    }

    [Fact]
    public void Parse_ReportsBadValues_ForZeroedAndGarbageSectionHeaders()
    {
        var bytes = File.ReadAllBytes(ElfSamples.PathOf("vuln-hardened"));
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40));
        var zeroed = (byte[])bytes.Clone();
        zeroed.AsSpan(shoff).Clear();
        var garbage = (byte[])bytes.Clone();
        new Random(20240601).NextBytes(garbage.AsSpan(shoff));

        var fromZeroed = ParseSingle(zeroed);
        var fromGarbage = ParseSingle(garbage);

        Assert.NotEmpty(fromZeroed.Errors);
        Assert.NotEmpty(fromGarbage.Errors);
        Assert.NotEmpty(fromGarbage.Segments);
    }

    [Fact]
    public void Parse_BoundsHugeCounts_ForAbsurdHeaderFields()
    {
        var bytes = File.ReadAllBytes(ElfSamples.PathOf("vuln-hardened"));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(56), 0xfffe); // e_phnum
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), 0xffff); // e_shnum
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), 0xfff0); // e_shstrndx

        var image = ParseSingle(bytes);

        Assert.Contains(image.Errors, e => e.Code == "truncated");
        Assert.Contains(image.Errors, e => e.Code == "bad_value");
    }

    [Fact]
    public void Parse_SurvivesRandomCorruption_OfEveryRegionOfTheFile()
    {
        var original = File.ReadAllBytes(ElfSamples.PathOf("library-so"));
        var random = new Random(7);

        for (var round = 0; round < 300; round++)
        {
            var bytes = (byte[])original.Clone();
            for (var i = 0; i < 1 + (round % 40); i++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            if (round % 3 == 0)
            {
                // Hit the header fields and tables harder than the bulk of code bytes.
                bytes[random.Next(64)] = (byte)random.Next(256);
            }
            _ = ParseSingle(bytes);
        }
    }

    [Fact]
    public void Parse_ReportsEhFrameGarbage_AndKeepsTheRest()
    {
        var bytes = File.ReadAllBytes(ElfSamples.PathOf("vuln-hardened"));
        var ehFrame = ElfSamples.Parse("vuln-hardened").Sections.Single(s => s.Name == ".eh_frame");
        bytes.AsSpan((int)ehFrame.Offset + 0x30, (int)ehFrame.Size - 0x30).Fill(0xee);

        var image = ParseSingle(bytes);

        Assert.Contains(image.Errors, e => e.Code is "truncated" or "bad_value");
        Assert.NotEmpty(image.Symbols);
    }

    [Theory]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' })]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 3, 1, 1 })]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x4d, 0x5a, 0, 0 })]
    public void Parse_ReportsAnError_ForTinyOrForeignInput(byte[] bytes)
    {
        Assert.NotEmpty(ParseSingle(bytes).Errors);
    }

    [Fact]
    public void Matches_RequiresTheElfMagic()
    {
        var format = new ElfFormat();

        Assert.True(format.Matches([0x7f, (byte)'E', (byte)'L', (byte)'F', 2]));
        Assert.False(format.Matches([0x7f, (byte)'E', (byte)'L']));
        Assert.False(format.Matches("MZ\0\0"u8));
    }

    [Fact]
    public void Parse_StopsWithOperationCanceled_WhenTheTokenIsCancelled()
    {
        var bytes = File.ReadAllBytes(ElfSamples.PathOf("vuln-hardened"));

        Assert.ThrowsAny<OperationCanceledException>(() => new ElfFormat().Parse(bytes, new CancellationToken(canceled: true)));
    }

    private static BinaryImage ParseSingle(ReadOnlyMemory<byte> bytes)
    {
        var images = new ElfFormat().Parse(bytes, CancellationToken.None);
        var image = Assert.Single(images);
        Assert.DoesNotContain(image.Errors, e => e.Message.StartsWith("ELF parsing stopped", StringComparison.Ordinal));
        return image;
    }
}
