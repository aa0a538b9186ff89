namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>One load command: its type and where its bytes lie in the image (offset relative to the image start).</summary>
/// <param name="Command">The <c>cmd</c> field.</param>
/// <param name="Offset">Offset of the command in the image.</param>
/// <param name="Body">The command's <c>cmdsize</c> bytes, already checked to be in bounds.</param>
internal readonly record struct LoadCommand(uint Command, long Offset, ByteView Body)
{
    public long Size => Body.Length;
}
