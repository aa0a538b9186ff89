namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>
/// ELF32/ELF64 parser over untrusted bytes, either byte order. Reads what it can and reports the rest as errors;
/// never throws for malformed input (only for cancellation).
/// </summary>
internal sealed class ElfFormat : IBinaryFormat
{
    public bool Matches(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 0x7f && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';

    public IReadOnlyList<BinaryImage> Parse(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var image = new BinaryImage { Format = "elf", ImageOffset = 0, ImageSize = data.Length };
        try
        {
            ParseInto(data, image, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Last resort: every reader checks its bounds, so reaching this is a parser bug, not a file problem.
            image.AddError("bad_value", $"ELF parsing stopped: {ex.GetType().Name}: {ex.Message}", null);
        }
        return [image];
    }

    private static void ParseInto(ReadOnlyMemory<byte> data, BinaryImage image, CancellationToken cancellationToken)
    {
        if (!new ElfFormat().Matches(data.Span))
        {
            image.AddError("bad_value", "missing ELF magic 7f 45 4c 46", 0);
            return;
        }
        if (ElfHeader.Read(data, image) is not { } header)
        {
            return;
        }
        image.Kind = header.Is64 ? "ELF64" : "ELF32";
        image.Bits = header.Is64 ? 64 : 32;
        image.Endian = header.BigEndian ? "big" : "little";
        image.Arch = ElfNames.Arch(header.Machine);
        image.FileType = ElfNames.FileType(header.Type);
        image.EntryPoint = header.Entry != 0 ? header.Entry : null;

        var ctx = new ElfContext(new ByteView(data, header.BigEndian), header, image, cancellationToken);
        ElfSectionReader.Read(ctx);
        ElfSegmentReader.Read(ctx);
        ElfSegmentReader.AddLoadRegions(ctx);
        ElfSymbolReader.Read(ctx);
        ElfDynamicReader.Read(ctx);
        ElfLinkage.Report(ctx);
        ElfPltResolver.Resolve(ctx);
        AddSymbolSeeds(ctx);
        EhFrameReader.Read(ctx);
        ElfRelocationReader.Read(ctx);
        image.Mitigations = ElfMitigations.Decide(ctx);
    }

    private static void AddSymbolSeeds(ElfContext ctx)
    {
        var image = ctx.Image;
        if (image.EntryPoint is { } entry)
        {
            image.FunctionSeeds.Add(new FunctionSeed(entry, null, "entry"));
        }
        var seen = new HashSet<(ulong, string)>();
        foreach (var sym in ctx.StaticSymbols.Concat(ctx.DynamicSymbols))
        {
            if (sym.IsFunction && sym.IsDefined && sym.Value != 0 && seen.Add((sym.Value, sym.Name)))
            {
                image.FunctionSeeds.Add(new FunctionSeed(sym.Value, sym.Name.Length > 0 ? sym.Name : null, "symbol", (long)Math.Min(sym.Size, long.MaxValue)));
            }
        }
    }
}
