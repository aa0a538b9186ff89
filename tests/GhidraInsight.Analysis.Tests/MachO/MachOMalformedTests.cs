using System.Buffers.Binary;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Formats.MachO;

namespace GhidraInsight.Analysis.Tests.MachO;

/// <summary>Truncated and corrupted inputs: Parse always returns, with errors, and never throws.</summary>
public sealed class MachOMalformedTests
{
    private readonly MachOFormat _format = new();

    [Theory]
    [InlineData("x86_64")]
    [InlineData("arm64")]
    [InlineData("fat")]
    public void Parse_TruncatedAtManyLengths_ReturnsImagesWithErrors(string sample)
    {
        var bytes = File.ReadAllBytes(sample == "fat" ? MachOSamples.Universal() : MachOSamples.Linked(sample));
        var lengths = Enumerable.Range(0, 3000).Concat(Enumerable.Range(0, bytes.Length / 97).Select(i => i * 97));

        foreach (var length in lengths.Where(l => l < bytes.Length))
        {
            var images = _format.Parse(bytes.AsMemory(0, length), CancellationToken.None);
            Assert.NotEmpty(images);
            Assert.True(images.Any(i => i.Errors.Count > 0), $"no error for a file cut at {length} bytes");
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(7u)]
    [InlineData(9u)]
    [InlineData(0x7fffffffu)]
    [InlineData(0xffffffffu)]
    public void Parse_CorruptedCommandSize_StopsWithErrorForEveryCommand(uint cmdsize)
    {
        var original = File.ReadAllBytes(MachOSamples.Linked("x86_64"));
        var commandOffsets = new List<int>();
        for (var at = 32; at < 32 + BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(20)); at += BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(at + 4)))
        {
            commandOffsets.Add(at);
        }
        Assert.True(commandOffsets.Count > 10);

        foreach (var at in commandOffsets)
        {
            var bytes = (byte[])original.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), cmdsize);
            var image = Assert.Single(_format.Parse(bytes, CancellationToken.None));
            Assert.NotEmpty(image.Errors);
        }
    }

    [Fact]
    public void Parse_RandomlyCorruptedHeadersAndTables_NeverThrows()
    {
        var original = File.ReadAllBytes(MachOSamples.Universal());
        var random = new Random(20240611);
        for (var round = 0; round < 3000; round++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                // Mostly the fat header and load commands of both slices, sometimes anywhere.
                var region = random.Next(4) switch { 0 => 0, 1 => 4096, 2 => 32768, _ => random.Next(bytes.Length - 2048) };
                bytes[region + random.Next(2048)] = (byte)random.Next(256);
            }
            Assert.NotEmpty(_format.Parse(bytes, CancellationToken.None));
        }
    }

    [Fact]
    public void Parse_JavaClassFile_IsNotUniversalAndReportsAnError()
    {
        // Java class: 0xcafebabe, minor 0, major 52 — read as a fat header that would be 52 slices.
        byte[] bytes = [0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0x00, 0x1d, 0x0a, 0x00, 0x06, 0x00, 0x0f, 0x09];

        Assert.False(_format.Matches(bytes));
        var image = Assert.Single(_format.Parse(bytes, CancellationToken.None));
        Assert.Equal("macho", image.Format);
        Assert.Contains(image.Errors, e => e.Code == "bad_value");
    }

    [Fact]
    public void Parse_UniversalHeaderWithSlicesOutsideTheFile_ReturnsUniversalImageWithErrors()
    {
        var bytes = new byte[48];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0xcafebabe);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 + 8), 0x1000); // slice 0 offset past the end
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(28 + 8), 8); // slice 1 at 8: holds no Mach-O magic
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(28 + 12), 16);

        Assert.True(_format.Matches(bytes));
        var image = Assert.Single(_format.Parse(bytes, CancellationToken.None));
        Assert.Equal("Mach-O universal", image.Kind);
        Assert.Equal(["out_of_bounds", "bad_value"], image.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Parse_HugeCountsInTinyFile_AreClampedToTheInput()
    {
        // ncmds 0xffffffff with one LC_SYMTAB claiming 0xffffffff symbols and a string table past the end.
        var bytes = new byte[32 + 24];
        MachOEntryAndFunctionTests.Write(bytes, 0, 0xfeedfacf, 0x0100000c, 0, 2, 0xffffffff, 24, 0x200000, 0);
        MachOEntryAndFunctionTests.Write(bytes, 32, 2, 24, 40, 0xffffffff, 0xfffffff0, 0xffffffff);

        var image = Assert.Single(_format.Parse(bytes, CancellationToken.None));

        Assert.Equal("arm64", image.Arch);
        Assert.True(image.Mitigations.Pie);
        Assert.Contains(image.Errors, e => e.Code == "limit");
        Assert.Contains(image.Errors, e => e.Code == "truncated" && e.Message.Contains("symbol table", StringComparison.Ordinal));
        Assert.Contains(image.Errors, e => e.Code == "out_of_bounds" && e.Message.Contains("string table", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new byte[] { 0xfe, 0xed, 0xfa, 0xce }, true)]
    [InlineData(new byte[] { 0xcf, 0xfa, 0xed, 0xfe }, true)]
    [InlineData(new byte[] { 0x7f, 0x45, 0x4c, 0x46 }, false)]
    [InlineData(new byte[] { 0xca, 0xfe }, false)]
    public void Matches_RecognisesThinMagicsInEitherByteOrder(byte[] bytes, bool expected) =>
        Assert.Equal(expected, _format.Matches(bytes));

    [Fact]
    public void Parse_CancelledToken_Throws()
    {
        var bytes = File.ReadAllBytes(MachOSamples.Linked("x86_64"));
        Assert.Throws<OperationCanceledException>(() => _format.Parse(bytes, new CancellationToken(canceled: true)));
    }
}
