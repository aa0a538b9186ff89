namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Finds the entry point from LC_MAIN or the program counter of an LC_UNIXTHREAD / LC_THREAD state.</summary>
internal static class EntryPointReader
{
    // Thread-state flavors (mach/*/thread_status.h).
    private const uint X86ThreadState32 = 1;
    private const uint X86ThreadState64 = 4;
    private const uint X86ThreadState = 7;
    private const uint ArmThreadState = 1;
    private const uint ArmThreadState64 = 6;
    private const uint PowerPcThreadState = 1;
    private const uint PowerPcThreadState64 = 5;

    /// <summary>LC_MAIN: entryoff is a file offset, mapped to an address through the segment that holds it.</summary>
    public static ulong? ReadMain(MachOParseState state, LoadCommand command)
    {
        if (!command.Body.TryU64(8, out var entryOffset))
        {
            state.Error("truncated", "LC_MAIN is shorter than 16 bytes", command.Offset);
            return null;
        }
        var absolute = state.Absolute(entryOffset);
        foreach (var segment in state.Image.Segments)
        {
            if (segment.FileSize > 0 && absolute >= segment.Offset && absolute - segment.Offset < segment.FileSize)
            {
                return segment.Address + (ulong)(absolute - segment.Offset);
            }
        }
        if (state.TextAddress is { } text)
        {
            return text + entryOffset;
        }
        state.Error("bad_value", $"LC_MAIN entryoff 0x{entryOffset:x} is in no segment", command.Offset);
        return null;
    }

    /// <summary>LC_UNIXTHREAD: a list of (flavor, count, state[count]) records; the PC of the first known flavor.</summary>
    public static ulong? ReadThread(MachOParseState state, LoadCommand command)
    {
        var body = command.Body;
        long at = 8;
        while (body.TryU32(at, out var flavor) && body.TryU32(at + 4, out var count))
        {
            var stateAt = at + 8;
            var stateSize = (long)count * 4;
            if (!body.Has(stateAt, stateSize))
            {
                state.Error("truncated", $"thread state of {count} words runs past its load command", command.Offset + at);
                return null;
            }
            if (TryProgramCounter(state.Header.CpuType, flavor, body, stateAt, stateSize, out var pc))
            {
                return pc;
            }
            at = stateAt + stateSize;
        }
        state.Error("unsupported", "no thread state with a known program counter", command.Offset);
        return null;
    }

    private static bool TryProgramCounter(uint cpuType, uint flavor, ByteView body, long at, long size, out ulong pc)
    {
        pc = 0;
        if (cpuType == MachOConstants.CpuTypeX8664 && flavor == X86ThreadState && body.TryU32(at, out var inner))
        {
            // x86_THREAD_STATE wraps the real state in its own (flavor, count) header.
            return inner == X86ThreadState64 && Word(body, at + 8, size - 8, 16, true, out pc);
        }
        if (cpuType == MachOConstants.CpuTypeX86 && flavor == X86ThreadState && body.TryU32(at, out var inner32))
        {
            return inner32 == X86ThreadState32 && Word(body, at + 8, size - 8, 10, false, out pc);
        }
        return (cpuType, flavor) switch
        {
            (MachOConstants.CpuTypeX8664, X86ThreadState64) => Word(body, at, size, 16, true, out pc), // rip
            (MachOConstants.CpuTypeX86, X86ThreadState32) => Word(body, at, size, 10, false, out pc), // eip
            (MachOConstants.CpuTypeArm64, ArmThreadState64) => Word(body, at, size, 32, true, out pc), // pc after x0-x28, fp, lr, sp
            (MachOConstants.CpuTypeArm, ArmThreadState) => Word(body, at, size, 15, false, out pc), // r15
            (MachOConstants.CpuTypePowerPc, PowerPcThreadState) => Word(body, at, size, 0, false, out pc), // srr0
            (MachOConstants.CpuTypePowerPc64, PowerPcThreadState64) => Word(body, at, size, 0, true, out pc), // srr0
            _ => false,
        };
    }

    private static bool Word(ByteView body, long at, long size, int index, bool is64, out ulong value)
    {
        var offset = (long)index * (is64 ? 8 : 4);
        value = 0;
        return offset + (is64 ? 8 : 4) <= size && body.TryWord(at + offset, is64, out value);
    }
}
