using System.Buffers.Binary;

namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Universal ("fat") files: a big-endian table of slices, each a thin Mach-O image.</summary>
internal static class UniversalFileParser
{
    private const int HeaderSize = 8;

    /// <summary>
    /// Whether the bytes hold a fat header. Java class files share 0xcafebabe; their version
    /// fields read as a large slice count, so the count must be small and the table in bounds.
    /// </summary>
    public static bool IsUniversal(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
        {
            return false;
        }
        var magic = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (magic is not (MachOConstants.FatMagic or MachOConstants.FatMagic64))
        {
            return false;
        }
        var count = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        var entrySize = magic == MachOConstants.FatMagic64 ? 32 : 20;
        return count is >= 1 and <= MachOConstants.MaxFatArchs && HeaderSize + (count * entrySize) <= data.Length;
    }

    public static IReadOnlyList<BinaryImage> Parse(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var view = new ByteView(data, bigEndian: true);
        view.TryU32(0, out var magic);
        view.TryU32(4, out var count);
        var is64 = magic == MachOConstants.FatMagic64;
        var entrySize = is64 ? 32 : 20;
        var images = new List<BinaryImage>();
        var problems = new List<(string Code, string Message, long Offset)>();
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long at = HeaderSize + ((long)i * entrySize);
            view.TryU32(at, out var cpuType);
            view.TryWord(at + 8, is64, out var offset);
            view.TryWord(at + (is64 ? 16 : 12), is64, out var size);
            if (offset > (ulong)data.Length || size > (ulong)data.Length - offset)
            {
                problems.Add(("out_of_bounds", $"slice {i} at 0x{offset:x} of 0x{size:x} bytes is outside the file", at));
                continue;
            }
            var slice = data.Slice((int)offset, (int)size);
            if (!MachOHeader.TryReadMagic(slice.Span, out _, out _))
            {
                problems.Add(("bad_value", $"slice {i} at 0x{offset:x} is not a thin Mach-O image", (long)offset));
                continue;
            }
            var image = ThinImageParser.Parse(slice, (long)offset, cancellationToken);
            if (MachOHeader.TryRead(slice, out var header) && header.CpuType != cpuType)
            {
                image.AddError("bad_value", $"fat entry says cputype 0x{cpuType:x}, slice header says 0x{header.CpuType:x}", at);
            }
            images.Add(image);
        }
        if (images.Count == 0)
        {
            images.Add(new BinaryImage { Format = "macho", Kind = "Mach-O universal", ImageSize = data.Length });
        }
        foreach (var (code, message, offset) in problems)
        {
            images[0].AddError(code, message, offset);
        }
        return images;
    }
}
