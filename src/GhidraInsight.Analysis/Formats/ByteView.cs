using System.Buffers.Binary;
using System.Text;

namespace GhidraInsight.Analysis.Formats;

/// <summary>
/// Bounds-checked, endian-aware reads over untrusted bytes. Every read checks the remaining input first;
/// nothing here allocates more than the input it returns.
/// </summary>
internal readonly struct ByteView(ReadOnlyMemory<byte> data, bool bigEndian)
{
    public ReadOnlyMemory<byte> Memory { get; } = data;
    public bool BigEndian { get; } = bigEndian;
    public long Length => Memory.Length;
    public ReadOnlySpan<byte> Span => Memory.Span;

    public bool Has(long offset, long count) => offset >= 0 && count >= 0 && offset <= Length && count <= Length - offset;

    public bool TryU8(long offset, out byte value)
    {
        value = Has(offset, 1) ? Span[(int)offset] : (byte)0;
        return Has(offset, 1);
    }

    public bool TryU16(long offset, out ushort value)
    {
        if (!Has(offset, 2)) { value = 0; return false; }
        var s = Span.Slice((int)offset, 2);
        value = BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
        return true;
    }

    public bool TryU32(long offset, out uint value)
    {
        if (!Has(offset, 4)) { value = 0; return false; }
        var s = Span.Slice((int)offset, 4);
        value = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        return true;
    }

    public bool TryU64(long offset, out ulong value)
    {
        if (!Has(offset, 8)) { value = 0; return false; }
        var s = Span.Slice((int)offset, 8);
        value = BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
        return true;
    }

    /// <summary>Reads a 32- or 64-bit word depending on <paramref name="is64"/>.</summary>
    public bool TryWord(long offset, bool is64, out ulong value)
    {
        if (is64)
        {
            return TryU64(offset, out value);
        }
        var ok = TryU32(offset, out var v32);
        value = v32;
        return ok;
    }

    /// <summary>Returns the bytes [offset, offset+count) or an empty span when out of bounds.</summary>
    public bool TrySlice(long offset, long count, out ReadOnlySpan<byte> slice)
    {
        if (!Has(offset, count)) { slice = default; return false; }
        slice = Span.Slice((int)offset, (int)count);
        return true;
    }

    /// <summary>
    /// Reads a NUL-terminated string of at most <paramref name="maxLength"/> bytes within [offset, limit).
    /// Returns null when the offset is outside the input.
    /// </summary>
    public string? CString(long offset, long limit = long.MaxValue, int maxLength = 4096)
    {
        limit = Math.Min(limit, Length);
        if (offset < 0 || offset >= limit)
        {
            return null;
        }
        var span = Span.Slice((int)offset, (int)Math.Min(limit - offset, maxLength));
        var end = span.IndexOf((byte)0);
        if (end >= 0)
        {
            span = span[..end];
        }
        return Encoding.UTF8.GetString(span);
    }
}
