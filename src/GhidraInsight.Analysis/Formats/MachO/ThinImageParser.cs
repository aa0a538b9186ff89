using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Parses one thin Mach-O image (a whole file, or one slice of a universal file).</summary>
internal static class ThinImageParser
{
    /// <summary>Parses <paramref name="data"/>, an image starting at <paramref name="baseOffset"/> of the whole input.</summary>
    public static BinaryImage Parse(ReadOnlyMemory<byte> data, long baseOffset, CancellationToken cancellationToken)
    {
        if (!MachOHeader.TryRead(data, out var header))
        {
            var failed = new BinaryImage { Format = "macho", ImageOffset = baseOffset, ImageSize = data.Length };
            var known = MachOHeader.TryReadMagic(data.Span, out _, out _);
            failed.AddError(known ? "truncated" : "bad_value", known ? "Mach-O header is cut short" : "not a Mach-O image", baseOffset);
            return failed;
        }
        var image = new BinaryImage
        {
            Format = "macho",
            Kind = header.Is64 ? "Mach-O 64" : "Mach-O 32",
            Arch = MachONames.Arch(header.CpuType),
            Bits = header.Is64 ? 64 : 32,
            Endian = header.BigEndian ? "big" : "little",
            FileType = MachONames.FileType(header.FileType),
            ImageOffset = baseOffset,
            ImageSize = data.Length,
        };
        var state = new MachOParseState(image, new ByteView(data, header.BigEndian), baseOffset, header, cancellationToken);
        var commands = LoadCommandTable.Read(state);

        // Segments and dylibs first: later commands refer to sections by number and libraries by ordinal.
        foreach (var command in commands)
        {
            switch (command.Command)
            {
                case MachOConstants.LcSegment or MachOConstants.LcSegment64:
                    SegmentCommandReader.Read(state, command);
                    break;
                case MachOConstants.LcLoadDylib or MachOConstants.LcLoadWeakDylib or MachOConstants.LcReexportDylib
                    or MachOConstants.LcLazyLoadDylib or MachOConstants.LcLoadUpwardDylib:
                    var library = LoadCommandTable.DylibName(state, command) ?? "";
                    state.Dylibs.Add(library);
                    image.Imports.Add(new ImportInfo { Library = library });
                    break;
                default:
                    break;
            }
        }
        image.ImageBase = state.TextAddress;
        ReadOtherCommands(state, commands);
        image.Mitigations = ReadMitigations(state, commands);
        return image;
    }

    private static void ReadOtherCommands(MachOParseState state, List<LoadCommand> commands)
    {
        var image = state.Image;
        foreach (var command in commands)
        {
            switch (command.Command)
            {
                case MachOConstants.LcMain:
                    image.EntryPoint ??= EntryPointReader.ReadMain(state, command);
                    break;
                case MachOConstants.LcUnixThread or MachOConstants.LcThread:
                    image.EntryPoint ??= EntryPointReader.ReadThread(state, command);
                    break;
                case MachOConstants.LcSymtab when state.SymbolTable is null:
                    state.SymbolTable = MachOSymbolTable.Read(state, command);
                    break;
                default:
                    break;
            }
        }
        if (state.SymbolTable is { } table)
        {
            SymbolListBuilder.Build(state, table);
        }
        foreach (var command in commands)
        {
            if (command.Command == MachOConstants.LcDysymtab)
            {
                StubNameReader.Read(state, command);
            }
            else if (command.Command == MachOConstants.LcFunctionStarts)
            {
                FunctionStartsReader.Read(state, command);
            }
        }
        if (image.EntryPoint is { } entry)
        {
            image.FunctionSeeds.Add(new FunctionSeed(entry, null, "entry"));
        }
    }

    private static Mitigations ReadMitigations(MachOParseState state, List<LoadCommand> commands)
    {
        var flags = state.Header.Flags;
        return new Mitigations
        {
            Pie = (flags & MachOConstants.MhPie) != 0,
            NoHeapExec = (flags & MachOConstants.MhNoHeapExecution) != 0,
            CodeSignature = commands.Exists(c => c.Command == MachOConstants.LcCodeSignature),
            Canary = state.Image.Imports.Exists(i => i.Name is "___stack_chk_fail" or "___stack_chk_guard"),
        };
    }
}
