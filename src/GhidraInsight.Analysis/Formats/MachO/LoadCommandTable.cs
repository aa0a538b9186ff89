namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Walks the load commands after the header, checking each cmdsize against sizeofcmds and the image.</summary>
internal static class LoadCommandTable
{
    public static List<LoadCommand> Read(MachOParseState state)
    {
        var header = state.Header;
        var view = state.View;
        var commands = new List<LoadCommand>();
        long limit = header.Size + (long)header.CommandsSize;
        if (limit > view.Length)
        {
            state.Error("truncated", $"load commands (sizeofcmds {header.CommandsSize}) run past the end of the image", header.Size);
            limit = view.Length;
        }
        var count = header.CommandCount;
        if (count > MachOConstants.MaxLoadCommands)
        {
            state.Error("limit", $"ncmds {count} is more than {MachOConstants.MaxLoadCommands}; reading that many", 16);
            count = MachOConstants.MaxLoadCommands;
        }
        long at = header.Size;
        for (var i = 0; i < count; i++)
        {
            state.CancellationToken.ThrowIfCancellationRequested();
            if (at + 8 > limit)
            {
                state.Error("truncated", $"load command {i} of {header.CommandCount} starts past the end of the load commands", at);
                break;
            }
            view.TryU32(at, out var command);
            view.TryU32(at + 4, out var size);
            if (size < 8)
            {
                state.Error("bad_value", $"load command {i} (0x{command:x}) has cmdsize {size}, less than 8", at);
                break;
            }
            if (size > limit - at)
            {
                state.Error("truncated", $"load command {i} (0x{command:x}) of {size} bytes runs past the end of the load commands", at);
                break;
            }
            commands.Add(new LoadCommand(command, at, new ByteView(view.Memory.Slice((int)at, (int)size), view.BigEndian)));
            at += size;
        }
        if (commands.Count == count && at != header.Size + (long)header.CommandsSize)
        {
            state.Error("bad_value", $"load commands end at 0x{at:x} but sizeofcmds says 0x{header.Size + (long)header.CommandsSize:x}", at);
        }
        return commands;
    }

    /// <summary>LC_*_DYLIB: the install name (lc_str offset at +8), bounded by the command.</summary>
    public static string? DylibName(MachOParseState state, LoadCommand command)
    {
        if (!command.Body.TryU32(8, out var nameOffset) || nameOffset < 12 || nameOffset >= command.Size)
        {
            state.Error("bad_value", "dylib command has no name inside the command", command.Offset);
            return null;
        }
        return command.Body.CString(nameOffset);
    }
}
