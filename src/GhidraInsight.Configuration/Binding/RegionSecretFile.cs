namespace GhidraInsight.Configuration;

/// <summary>
/// Reads the inter-region secret from <c>region.secret_file</c> when <c>GHIDRA_REGION__SECRET</c> did not give it, and the previous
/// one (during a rotation) from <c>region.previous_secret_file</c> likewise; again at every reload.
/// </summary>
internal static class RegionSecretFile
{
    public static RegionOptions Read(RegionOptions region, BindingContext context)
    {
        var what = $"the inter-region secret (at least {RegionSettings.MinSecretLength} characters)";
        if (region.Secret is null && region.SecretFile is { } path && context.Origins.Get(RegionSettings.SecretFile) is { } raw)
        {
            region = region with { Secret = SecretFile.Read(RegionSettings.SecretFile, path, raw, context, what) };
        }
        if (region.PreviousSecret is null && region.PreviousSecretFile is { } previousPath && context.Origins.Get(RegionSettings.PreviousSecretFile) is { } previousRaw)
        {
            region = region with { PreviousSecret = SecretFile.Read(RegionSettings.PreviousSecretFile, previousPath, previousRaw, context, "the previous " + what[4..]) };
        }
        return region;
    }
}
