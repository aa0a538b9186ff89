using System.Buffers.Binary;

namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>The <c>mach_header</c> / <c>mach_header_64</c> of a thin Mach-O image.</summary>
internal readonly record struct MachOHeader(
    bool Is64,
    bool BigEndian,
    uint CpuType,
    uint CpuSubtype,
    uint FileType,
    uint CommandCount,
    uint CommandsSize,
    uint Flags)
{
    public int Size => Is64 ? 32 : 28;

    /// <summary>Recognises a thin Mach-O magic in either byte order.</summary>
    public static bool TryReadMagic(ReadOnlySpan<byte> data, out bool is64, out bool bigEndian)
    {
        is64 = false;
        bigEndian = false;
        if (data.Length < 4)
        {
            return false;
        }
        switch (BinaryPrimitives.ReadUInt32BigEndian(data))
        {
            case MachOConstants.MhMagic: bigEndian = true; return true;
            case MachOConstants.MhMagic64: bigEndian = true; is64 = true; return true;
            case MachOConstants.MhCigam: return true;
            case MachOConstants.MhCigam64: is64 = true; return true;
            default: return false;
        }
    }

    /// <summary>Reads the header; false when the magic is wrong or the header is cut short.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, out MachOHeader header)
    {
        header = default;
        if (!TryReadMagic(data.Span, out var is64, out var bigEndian))
        {
            return false;
        }
        var view = new ByteView(data, bigEndian);
        if (!view.Has(0, is64 ? 32 : 28))
        {
            return false;
        }
        view.TryU32(4, out var cpuType);
        view.TryU32(8, out var cpuSubtype);
        view.TryU32(12, out var fileType);
        view.TryU32(16, out var commandCount);
        view.TryU32(20, out var commandsSize);
        view.TryU32(24, out var flags);
        header = new MachOHeader(is64, bigEndian, cpuType, cpuSubtype, fileType, commandCount, commandsSize, flags);
        return true;
    }
}
