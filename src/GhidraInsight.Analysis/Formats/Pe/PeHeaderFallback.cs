namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// When <see cref="System.Reflection.PortableExecutable.PEHeaders"/> rejects the headers, still reports what
/// the first fields say (architecture, PE32/PE32+, DLL or not) so a truncated file is not a blank.
/// </summary>
internal static class PeHeaderFallback
{
    private const uint PeSignature = 0x00004550; // "PE\0\0"

    public static void Describe(ByteView view, BinaryImage image)
    {
        if (!view.TryU32(0x3C, out var peOffset) || !view.TryU32(peOffset, out var signature))
        {
            image.AddError("truncated", "DOS header or e_lfanew points past the end of the input", 0x3C);
            return;
        }
        if (signature != PeSignature)
        {
            image.AddError("bad_magic", "no 'PE\\0\\0' signature at e_lfanew (DOS-only or corrupt image)", peOffset);
            return;
        }
        if (!view.TryU16(peOffset + 4, out var machine))
        {
            image.AddError("truncated", "COFF header is cut off", peOffset + 4);
            return;
        }
        image.Arch = PeMachineNames.Arch(machine, out var readyToRunOs);
        if (view.TryU16(peOffset + 22, out var characteristics))
        {
            image.FileType = (characteristics & 0x2000) != 0 ? "dll" : "executable";
        }
        if (view.TryU16(peOffset + 24, out var magic) && magic is 0x10B or 0x20B)
        {
            var is64 = magic == 0x20B;
            image.Bits = is64 ? 64 : 32;
            image.Kind = (is64 ? "PE32+" : "PE32") + (readyToRunOs is null ? "" : $" (ReadyToRun, {readyToRunOs})");
        }
    }
}
