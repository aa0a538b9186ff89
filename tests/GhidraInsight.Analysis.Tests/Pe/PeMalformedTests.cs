using System.Buffers.Binary;
using GhidraInsight.Analysis.Formats.Pe;

namespace GhidraInsight.Analysis.Tests.Pe;

public sealed class PeMalformedTests
{
    [Theory]
    [InlineData(PeSamples.Risky64)]
    [InlineData(PeSamples.Exports32)]
    [InlineData(PeSamples.Delay64)]
    public void Parse_OfTruncatedImages_ReportsErrorsAndNeverThrows(string sample)
    {
        var bytes = File.ReadAllBytes(PeSamples.Path(sample));
        var lengths = Enumerable.Range(0, 1024).Concat(Enumerable.Range(0, bytes.Length / 251).Select(i => 1024 + (i * 251)))
            .Where(n => n < bytes.Length);

        // Cutting into any section's bytes must be reported; bytes past the last section may be padding or symbols.
        var sectionsEnd = PeSamples.Parse(bytes).Sections.Max(s => s.Offset + s.FileSize);

        foreach (var length in lengths)
        {
            var image = PeSamples.Parse(bytes[..length]);
            Assert.True(length >= sectionsEnd || image.Errors.Count > 0, $"no error for {length} of {bytes.Length} bytes");
        }
    }

    [Fact]
    public void Parse_WithImportDescriptorsPointingOutside_ReportsOutOfBoundsAndKeepsSections()
    {
        var bytes = File.ReadAllBytes(PeSamples.Path(PeSamples.Risky64));
        var clean = PeSamples.Parse(bytes);
        var descriptor = FileOffsetOfDirectory(bytes, clean, index: 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(descriptor), 0x7FFFFF00);      // OriginalFirstThunk
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(descriptor + 12), 0xFFFFFFF0); // Name
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(descriptor + 20 + 12), 0x12345678); // second DLL's name

        var image = PeSamples.Parse(bytes);

        Assert.Contains(image.Errors, e => e.Code == "out_of_bounds");
        Assert.Equal(clean.Sections, image.Sections);
        Assert.True(image.Imports.Count < clean.Imports.Count);
    }

    [Fact]
    public void Parse_WithHugeExportCounts_ClampsToTheInput()
    {
        var bytes = File.ReadAllBytes(PeSamples.Path(PeSamples.Exports64));
        var clean = PeSamples.Parse(bytes);
        var directory = FileOffsetOfDirectory(bytes, clean, index: 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(directory + 20), uint.MaxValue); // NumberOfFunctions
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(directory + 24), uint.MaxValue); // NumberOfNames

        var image = PeSamples.Parse(bytes);

        Assert.Contains(image.Errors, e => e.Code == "limit");
        Assert.Contains(image.Errors, e => e.Code == "truncated");
        Assert.Contains(image.Exports, e => e.Name == "add_numbers");
    }

    [Fact]
    public void Parse_OfGarbageAfterMz_ReportsErrorsAndNeverThrows()
    {
        var random = new Random(1234);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(2, 4096)];
            random.NextBytes(bytes);
            bytes[0] = (byte)'M';
            bytes[1] = (byte)'Z';
            if (i % 2 == 0 && bytes.Length > 0x100)
            {
                // A plausible e_lfanew and signature so the random bytes reach the COFF and optional headers.
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(0x3C), 0x80);
                "PE\0\0"u8.CopyTo(bytes.AsSpan(0x80));
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x98), i % 4 == 0 ? (ushort)0x20B : (ushort)0x10B);
            }

            var image = PeSamples.Parse(bytes);

            Assert.Equal("pe", image.Format);
        }
    }

    [Fact]
    public void Parse_OfCorruptedHeaders_NeverThrows()
    {
        var original = File.ReadAllBytes(PeSamples.Path(PeSamples.Exports64));
        var random = new Random(42);
        for (var i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var j = 0; j < 8; j++)
            {
                bytes[random.Next(0x40, 0x400)] = (byte)random.Next(256);
            }
            PeSamples.Parse(bytes);
        }
    }

    [Fact]
    public void Parse_WithACancelledToken_StopsWithOperationCanceled()
    {
        var bytes = File.ReadAllBytes(PeSamples.Path(PeSamples.Risky64));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new PeFormat().Parse(bytes, cancelled.Token));
    }

    [Fact]
    public void Matches_RequiresMzAtTheStart()
    {
        var format = new PeFormat();

        Assert.True(format.Matches("MZ"u8));
        Assert.False(format.Matches("M"u8));
        Assert.False(format.Matches("\u007fELF"u8));
        Assert.False(format.Matches("ZM"u8));
    }

    /// <summary>File offset of data directory <paramref name="index"/> (0 export, 1 import), found via the section table.</summary>
    private static int FileOffsetOfDirectory(byte[] bytes, Formats.BinaryImage image, int index)
    {
        var pe = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(0x3C));
        var is64 = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pe + 24)) == 0x20B;
        var directories = pe + 24 + (is64 ? 112 : 96);
        var rva = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(directories + (index * 8)));
        var va = image.ImageBase!.Value + rva;
        var section = image.Sections.Single(s => va >= s.Address && va < s.Address + (ulong)s.Size);
        return (int)(section.Offset + (long)(va - section.Address));
    }
}
