using System.Reflection.PortableExecutable;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>Exploit mitigations from DllCharacteristics, the load configuration and the certificate table.</summary>
internal static class PeMitigations
{
    private const ushort HighEntropyVa = 0x0020;
    private const ushort DynamicBase = 0x0040;
    private const ushort NxCompat = 0x0100;
    private const ushort NoSeh = 0x0400;
    private const ushort GuardCf = 0x4000;

    // IMAGE_LOAD_CONFIG_DIRECTORY32: Size at 0, SEHandlerTable at 0x40, SEHandlerCount at 0x44.
    private const int SeHandlerTableOffset = 0x40;
    private const int SeHandlerCountOffset = 0x44;

    public static Mitigations Read(PeImageContext context, PEHeader pe)
    {
        var flags = (ushort)pe.DllCharacteristics;
        var certificates = pe.CertificateTableDirectory;
        // The certificate table's "RVA" is a file offset; the table is not mapped.
        var signed = certificates.Size > 0 && certificates.RelativeVirtualAddress != 0;
        if (signed && !context.View.Has((uint)certificates.RelativeVirtualAddress, (uint)certificates.Size))
        {
            context.Image.AddError("truncated", "certificate table runs past the end of the input", (uint)certificates.RelativeVirtualAddress);
        }
        return new Mitigations
        {
            Aslr = (flags & DynamicBase) != 0,
            // HIGH_ENTROPY_VA only has an effect on 64-bit images.
            HighEntropyVa = context.Is64 && (flags & HighEntropyVa) != 0,
            Dep = (flags & NxCompat) != 0,
            Cfg = (flags & GuardCf) != 0,
            SafeSeh = context.Is64 ? null : (flags & NoSeh) != 0 || HasSafeSehTable(context, pe.LoadConfigTableDirectory),
            Signed = signed,
        };
    }

    /// <summary>
    /// SafeSEH applies to PE32 only (x64 unwinding is table based), so PE32+ images report null (not applicable).
    /// A PE32 image counts as protected when its load config lists registered handlers (SEHandlerTable and
    /// SEHandlerCount non-zero, what <c>/SAFESEH</c> emits and <c>llvm-readobj --coff-load-config</c> shows) or
    /// when it sets NO_SEH: the loader then refuses every handler inside it, so an overwritten SEH record cannot
    /// point into it. winchecksec reports NO_SEH as "not applicable"; as a yes/no answer that is a pass.
    /// </summary>
    private static bool HasSafeSehTable(PeImageContext context, DirectoryEntry loadConfig)
    {
        if (loadConfig.RelativeVirtualAddress == 0 || loadConfig.Size == 0
            || !context.TryRvaRange((uint)loadConfig.RelativeVirtualAddress, SeHandlerCountOffset + 4, out var offset))
        {
            return false;
        }
        context.View.TryU32(offset, out var size);
        if (size < SeHandlerCountOffset + 4)
        {
            return false;
        }
        context.View.TryU32(offset + SeHandlerTableOffset, out var table);
        context.View.TryU32(offset + SeHandlerCountOffset, out var count);
        return table != 0 && count != 0;
    }
}
