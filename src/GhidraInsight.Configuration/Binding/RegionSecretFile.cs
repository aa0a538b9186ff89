namespace GhidraInsight.Configuration;

/// <summary>
/// Reads the inter-region secret from <c>region.secret_file</c> when <c>GHIDRA_REGION__SECRET</c> did not give it (so a
/// missing file is harmless then). The content is trimmed; a missing, empty or unreadable file is one line naming the key.
/// </summary>
internal static class RegionSecretFile
{
    public static RegionOptions Read(RegionOptions region, BindingContext context)
    {
        if (region.Secret is not null || region.SecretFile is not { } path || context.Origins.Get(RegionSettings.SecretFile) is not { } raw)
        {
            return region;
        }

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
                    return region with { Secret = text };
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

        context.Origins.MarkFailed(RegionSettings.SecretFile);
        context.Report(RegionSettings.SecretFile, ConfigErrors.Invalid(RegionSettings.SecretFile.Key, raw.Value,
            $"{problem}; it must be a readable file holding the inter-region secret (at least {RegionSettings.MinSecretLength} characters)"));
        return region;
    }
}
