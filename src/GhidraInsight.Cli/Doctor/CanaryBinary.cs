using System.Buffers.Binary;
using System.Text;

namespace GhidraInsight.Cli.Doctor;

/// <summary>
/// The analysis a drill writes its canaries on: the smallest x86-64 ELF executable (one loadable segment running <c>exit(0)</c>)
/// followed by the drill's id, so every drill uploads a new file and removes only what it made.
/// </summary>
internal static class CanaryBinary
{
    private const ulong Base = 0x400000;
    private const int HeaderSize = 64;
    private const int ProgramHeaderSize = 56;

    /// <summary>The file for drill <paramref name="drillId"/>.</summary>
    public static byte[] For(string drillId)
    {
        // mov eax, 60 (exit); xor edi, edi; syscall
        byte[] code = [0xb8, 0x3c, 0x00, 0x00, 0x00, 0x31, 0xff, 0x0f, 0x05];
        var tag = Encoding.ASCII.GetBytes($"ghidrainsight drill canary {drillId}\0");
        var file = new byte[HeaderSize + ProgramHeaderSize + code.Length + tag.Length];
        var span = file.AsSpan();
        "\x7f"u8.CopyTo(span);
        "ELF"u8.CopyTo(span[1..]);
        span[4] = 2; // 64-bit
        span[5] = 1; // little-endian
        span[6] = 1; // ELF version
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 2); // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], 0x3e); // x86-64
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], Base + HeaderSize + ProgramHeaderSize); // entry: the code
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], HeaderSize); // program headers right after this one
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], ProgramHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[58..], 64); // section header size, though there are none

        var segment = span[HeaderSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(segment, 1); // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(segment[4..], 5); // R + X
        BinaryPrimitives.WriteUInt64LittleEndian(segment[16..], Base);
        BinaryPrimitives.WriteUInt64LittleEndian(segment[24..], Base);
        BinaryPrimitives.WriteUInt64LittleEndian(segment[32..], (ulong)file.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(segment[40..], (ulong)file.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(segment[48..], 0x1000);

        code.CopyTo(span[(HeaderSize + ProgramHeaderSize)..]);
        tag.CopyTo(span[(HeaderSize + ProgramHeaderSize + code.Length)..]);
        return file;
    }
}
