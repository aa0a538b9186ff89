namespace GhidraInsight.Configuration;

/// <summary>
/// Reads a secret named by a <c>*_file</c> key when the environment did not give it (so a missing file is harmless then). The
/// content is trimmed; a missing, empty or unreadable file is one line naming the key.
/// </summary>
internal static class SecretFile
{
    /// <returns>The secret, or null (with the problem reported) when the file could not give one.</returns>
    public static string? Read(ConfigName fileKey, string path, RawSetting raw, BindingContext context, string holding)
    {
        string problem;
        try
        {
            if (Directory.Exists(path))
            {
                problem = $"{path} is a folder, not a file";
            }
            else
            {
                var text = File.ReadAllText(path).Trim();
                if (text.Length > 0)
                {
                    return text;
                }

                problem = $"{path} is empty";
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = $"{path} not found";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path} cannot be read ({e.Message})";
        }

        context.Origins.MarkFailed(fileKey);
        context.Report(fileKey, ConfigErrors.Invalid(fileKey.Key, raw.Value, $"{problem}; it must be a readable file holding {holding}"));
        return null;
    }
}
