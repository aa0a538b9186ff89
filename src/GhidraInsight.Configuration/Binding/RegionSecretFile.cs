namespace GhidraInsight.Configuration;

/// <summary>Reads the inter-region secret from <c>region.secret_file</c> when <c>GHIDRA_REGION__SECRET</c> did not give it.</summary>
internal static class RegionSecretFile
{
    public static RegionOptions Read(RegionOptions region, BindingContext context) =>
        region.Secret is not null || region.SecretFile is not { } path || context.Origins.Get(RegionSettings.SecretFile) is not { } raw
            ? region
            : region with
            {
                Secret = SecretFile.Read(RegionSettings.SecretFile, path, raw, context,
                    $"the inter-region secret (at least {RegionSettings.MinSecretLength} characters)"),
            };
}
