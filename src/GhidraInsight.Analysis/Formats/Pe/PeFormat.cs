using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Parses PE32/PE32+ images. Headers and the section table come from <see cref="PEHeaders"/>; the import,
/// delay-import, export, exception and COFF symbol tables are walked here with bounds-checked reads.
/// </summary>
internal sealed class PeFormat : IBinaryFormat
{
    private const ushort FileDll = 0x2000;

    public bool Matches(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == (byte)'M' && data[1] == (byte)'Z';

    public IReadOnlyList<BinaryImage> Parse(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var image = new BinaryImage { Format = "pe", ImageOffset = 0, ImageSize = data.Length };
        var view = new ByteView(data, bigEndian: false);
        if (!Matches(data.Span))
        {
            image.AddError("bad_magic", "input does not start with 'MZ'", 0);
            return [image];
        }
        var headers = ReadHeaders(data, image);
        if (headers?.PEHeader is not { } pe)
        {
            PeHeaderFallback.Describe(view, image);
            return [image];
        }
        Describe(headers, pe, image);

        var coff = headers.CoffHeader;
        var strings = PeStringTable.Locate(view, (uint)coff.PointerToSymbolTable, coff.NumberOfSymbols);
        if (strings is { Truncated: true } table)
        {
            image.AddError("truncated", "COFF string table runs past the end of the input", table.Offset);
        }
        var sections = PeSectionReader.Read(headers, view, strings, image);
        var context = new PeImageContext(
            image, view, pe.ImageBase, pe.Magic == PEMagic.PE32Plus, (uint)pe.SizeOfHeaders, sections, cancellationToken);

        if (image.EntryPoint is { } entry)
        {
            image.FunctionSeeds.Add(new FunctionSeed(entry, null, "entry"));
        }
        PeImportReader.Read(context, pe.ImportTableDirectory);
        PeDelayImportReader.Read(context, pe.DelayImportTableDirectory);
        PeExportReader.Read(context, pe.ExportTableDirectory);
        if (coff.Machine == Machine.Amd64 || image.Arch == "x86_64")
        {
            PeRuntimeFunctions.Read(context, pe.ExceptionTableDirectory);
        }
        PeCoffSymbols.Read(context, (uint)coff.PointerToSymbolTable, coff.NumberOfSymbols, strings);
        image.Mitigations = PeMitigations.Read(context, pe);
        return [image];
    }

    private static PEHeaders? ReadHeaders(ReadOnlyMemory<byte> data, BinaryImage image)
    {
        var stream = MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        using (stream)
        {
            try
            {
                return new PEHeaders(stream, (int)stream.Length);
            }
            catch (Exception ex) when (ex is BadImageFormatException or IOException or ArgumentException or InvalidOperationException)
            {
                image.AddError("malformed_headers", "PE headers could not be read: " + ex.Message, 0);
                return null;
            }
        }
    }

    private static void Describe(PEHeaders headers, PEHeader pe, BinaryImage image)
    {
        var coff = headers.CoffHeader;
        var is64 = pe.Magic == PEMagic.PE32Plus;
        image.Arch = PeMachineNames.Arch((ushort)coff.Machine, out var readyToRunOs);
        image.Kind = (is64 ? "PE32+" : "PE32") + (readyToRunOs is null ? "" : $" (ReadyToRun, {readyToRunOs})");
        image.Bits = is64 ? 64 : 32;
        image.Endian = "little";
        image.FileType = ((ushort)coff.Characteristics & FileDll) != 0 ? "dll" : "executable";
        image.ImageBase = pe.ImageBase;
        image.EntryPoint = pe.AddressOfEntryPoint == 0 ? null : pe.ImageBase + (uint)pe.AddressOfEntryPoint;
    }
}
