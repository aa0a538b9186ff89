using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>Feeds Iced's decoder from a window of the input, so no bytes are copied.</summary>
internal sealed class MemoryCodeReader(ReadOnlyMemory<byte> window) : CodeReader
{
    public int Position { get; set; }

    public int Length => window.Length;

    public override int ReadByte() => (uint)Position < (uint)window.Length ? window.Span[Position++] : -1;
}
