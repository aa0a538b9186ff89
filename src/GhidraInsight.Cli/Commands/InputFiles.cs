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
                    files.AddRange(Directory.EnumerateFiles(argument, "*", options).Order(StringComparer.Ordinal));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    errors.Add($"cannot read directory {argument}: {ex.Message}");
                }
            }
            else if (File.Exists(argument))
            {
                files.Add(argument);
            }
            else
            {
                errors.Add($"cannot read {argument}: no such file or directory");
            }
        }
        return (files, errors);
    }
}
