namespace GhidraInsight.Cli.Commands;

/// <summary>Turns the command line's files and directories into a sorted list of files.</summary>
internal static class InputFiles
{
    public static (List<string> Files, List<string> Errors) Expand(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        var errors = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                try
                {
                    var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
                    // FIFOs, sockets and devices in a folder are not binaries, and reading a FIFO never ends.
                    files.AddRange(Directory.EnumerateFiles(argument, "*", options).Where(RegularFile.Is).Order(StringComparer.Ordinal));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    errors.Add($"cannot read directory {argument}: {ex.Message}");
                }
            }
            else if (File.Exists(argument))
            {
                if (RegularFile.Is(argument))
                {
                    files.Add(argument);
                }
                else
                {
                    errors.Add($"cannot read {argument}: not a regular file");
                }
            }
            else
            {
                errors.Add($"cannot read {argument}: no such file or directory");
            }
        }
        return (files, errors);
    }
}
