namespace GhidraInsight.Configuration;

/// <summary>
/// The shared inter-region secret of an enabled region section: needed with replication or more than one region, and at
/// least <see cref="RegionSettings.MinSecretLength"/> characters; never echoed.
/// </summary>
internal sealed class RegionSecretCheck(RegionChecks checks)
{
    public void Check()
    {
        CheckPrevious();
        var options = checks.Options;
        var (secret, secretFile) = (RegionSettings.Secret, RegionSettings.SecretFile);
        var min = RegionSettings.MinSecretLength;
        if (options.Secret is null)
        {
            var reasons = new List<string>();
            if (options.ReplicationEnabled)
            {
                reasons.Add("region.replication_enabled true");
            }

            var regionCount = checks.Given(RegionSettings.Regions)?.Items.Count ?? 0;
            if (regionCount > 1)
            {
                reasons.Add($"{regionCount} regions");
            }

            // A secret file that could not be read has been reported already.
            if (reasons.Count > 0 && !checks.Failed(secretFile))
            {
                checks.Errors.Add($"{secret}: missing; with {string.Join(" and ", reasons)}, the regions need a shared secret of at least {min} "
                    + $"characters: set {secret.EnvironmentVariable} or name a file holding it in {secretFile}");
            }

            return;
        }

        var length = options.Secret.Length;
        if (length >= min)
        {
            return;
        }

        // From GHIDRA_REGION__SECRET, else from the secret file, else set in code.
        var fromEnvironment = checks.Read(secret);
        var fromFile = fromEnvironment is null && options.SecretFile is not null ? checks.Given(secretFile) : null;
        checks.Errors.Add(fromFile is not null
            ? ConfigErrors.Invalid(secretFile.Key, fromFile.Value, $"the secret in {options.SecretFile} has {length} characters; it must have at least {min} characters")
            : ConfigErrors.InvalidSecret(secret.Key, (fromEnvironment ?? checks.Given(secret)!).Value, $"must be at least {min} characters (has {length})"));
    }

    /// <summary>A previous secret is only meaningful next to a current one, and as long.</summary>
    private void CheckPrevious()
    {
        var options = checks.Options;
        var (previous, previousFile) = (RegionSettings.PreviousSecret, RegionSettings.PreviousSecretFile);
        if (options.PreviousSecret is not { } value)
        {
            return;
        }
        var min = RegionSettings.MinSecretLength;
        if (options.Secret is null)
        {
            checks.Errors.Add($"{previous}: a previous secret needs a current one; set {RegionSettings.Secret.EnvironmentVariable} or {RegionSettings.SecretFile} too");
        }
        else if (value.Length < min)
        {
            var fromEnvironment = checks.Read(previous);
            var fromFile = fromEnvironment is null && options.PreviousSecretFile is not null ? checks.Given(previousFile) : null;
            checks.Errors.Add(fromFile is not null
                ? ConfigErrors.Invalid(previousFile.Key, fromFile.Value, $"the secret in {options.PreviousSecretFile} has {value.Length} characters; it must have at least {min} characters")
                : ConfigErrors.InvalidSecret(previous.Key, (fromEnvironment ?? checks.Given(previous)!).Value, $"must be at least {min} characters (has {value.Length})"));
        }
    }
}
