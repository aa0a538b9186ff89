using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Reads LC_SEGMENT / LC_SEGMENT_64 into segments, sections and mapped regions.</summary>
internal static class SegmentCommandReader
{
    public static void Read(MachOParseState state, LoadCommand command)
    {
        var is64 = command.Command == MachOConstants.LcSegment64;
        var body = command.Body;
        var headerSize = is64 ? 72 : 56;
        var sectionSize = is64 ? 80 : 68;
        if (!body.Has(0, headerSize))
        {
            state.Error("truncated", $"segment command of {command.Size} bytes is shorter than {headerSize}", command.Offset);
            return;
        }
        var name = MachONames.FixedName(body.Span.Slice(8, 16));
        var w = is64 ? 8 : 4;
        body.TryWord(24, is64, out var vmAddress);
        body.TryWord(24 + w, is64, out var vmSize);
        body.TryWord(24 + (2 * w), is64, out var fileOffset);
        body.TryWord(24 + (3 * w), is64, out var fileSize);
        body.TryU32(24 + (4 * w) + 4, out var initProt);
        body.TryU32(24 + (4 * w) + 8, out var sectionCount);

        if (!state.InImage(fileOffset, fileSize))
        {
            state.Error("out_of_bounds", $"segment {name} file range 0x{fileOffset:x}+0x{fileSize:x} is outside the image", command.Offset);
        }
        var permissions = MachONames.Permissions(initProt);
        state.Image.Segments.Add(new SegmentInfo
        {
            Type = name,
            Offset = state.Absolute(fileOffset),
            Address = vmAddress,
            FileSize = Saturate(fileSize),
            MemorySize = Saturate(vmSize),
            Permissions = permissions,
        });
        if (name == "__TEXT")
        {
            state.TextAddress ??= vmAddress;
        }

        var fitting = (body.Length - headerSize) / sectionSize;
        if (sectionCount > fitting)
        {
            state.Error("truncated", $"segment {name} declares {sectionCount} sections but its command holds {fitting}", command.Offset);
            sectionCount = (uint)fitting;
        }
        var executableSegment = (initProt & MachOConstants.VmProtExecute) != 0;
        var first = state.Sections.Count;
        var anyCodeSection = false;
        for (var i = 0; i < sectionCount; i++)
        {
            var section = ReadSection(body, headerSize + (i * sectionSize), is64);
            anyCodeSection |= MachONames.HasInstructions(section.Flags);
            state.Sections.Add(section);
        }

        // Sections of an executable segment count as code only when none of them says it holds
        // instructions: otherwise __cstring, __const and __unwind_info in __TEXT would be disassembled.
        for (var i = first; i < state.Sections.Count; i++)
        {
            var section = state.Sections[i];
            section.Executable = MachONames.HasInstructions(section.Flags) || (executableSegment && !anyCodeSection);
            AddSection(state, command, section, ReadSectionOffset(body, headerSize + ((i - first) * sectionSize), is64), permissions);
        }
        if (sectionCount == 0 && fileSize > 0 && name != "__LINKEDIT" && state.InImage(fileOffset, fileSize))
        {
            state.Image.Regions.Add(new MappedRegion(name, vmAddress, state.Absolute(fileOffset), Saturate(fileSize), executableSegment));
        }
    }

    private static MachOSection ReadSection(ByteView body, int offset, bool is64)
    {
        var sectionName = MachONames.FixedName(body.Span.Slice(offset, 16));
        var segmentName = MachONames.FixedName(body.Span.Slice(offset + 16, 16));
        body.TryWord(offset + 32, is64, out var address);
        body.TryWord(offset + (is64 ? 40 : 36), is64, out var size);
        var flagsAt = offset + (is64 ? 64 : 56);
        body.TryU32(flagsAt, out var flags);
        body.TryU32(flagsAt + 4, out var reserved1);
        body.TryU32(flagsAt + 8, out var reserved2);
        return new MachOSection(sectionName, segmentName, address, size, flags, reserved1, reserved2);
    }

    private static uint ReadSectionOffset(ByteView body, int offset, bool is64)
    {
        body.TryU32(offset + (is64 ? 48 : 40), out var fileOffset);
        return fileOffset;
    }

    private static void AddSection(MachOParseState state, LoadCommand command, MachOSection section, uint fileOffset, string permissions)
    {
        var zeroFill = MachONames.IsZeroFill(section.Flags);
        var fileSize = zeroFill ? 0UL : section.Size;
        if (fileSize > 0 && !state.InImage(fileOffset, fileSize))
        {
            state.Error("out_of_bounds", $"section {section.Segment},{section.Name} file range 0x{fileOffset:x}+0x{fileSize:x} is outside the image", command.Offset);
            fileSize = fileOffset < (ulong)state.View.Length ? (ulong)state.View.Length - fileOffset : 0;
        }
        // Zero-fill sections usually say offset 0: keep that rather than pointing at the slice start.
        var offset = zeroFill && fileOffset == 0 ? 0 : state.Absolute(fileOffset);
        state.Image.Sections.Add(new SectionInfo
        {
            Name = section.Name,
            Segment = section.Segment,
            Type = MachONames.SectionType(section.Flags),
            Address = section.Address,
            Offset = offset,
            Size = Saturate(section.Size),
            FileSize = zeroFill ? 0 : Saturate(section.Size),
            Permissions = permissions,
        });
        if (fileSize > 0)
        {
            state.Image.Regions.Add(new MappedRegion(section.Name, section.Address, offset, (long)fileSize, section.Executable));
        }
    }

    private static long Saturate(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
