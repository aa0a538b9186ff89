namespace GhidraInsight.Configuration;

/// <summary>
/// The <c>region:</c> section. Every value is checked for its type (name, URL, number, mode) whatever <c>region.enabled</c>
/// says; only with it true are the keys checked against each other (current and primary among the regions, an endpoint per
/// region, replication targets among the others, the shared secret).
/// </summary>
internal sealed partial class OptionsBinder
{
    private const int MaxRegionSeconds = 3600;
    private const int MinSecretLength = 16;
    private const string UrlAllowed = "must be an absolute http or https URL, e.g. http://127.0.0.1:3101";

    private RegionOptions BindRegion()
    {
        var defaults = new RegionOptions();
        var enabled = Boolean(ConfigNames.RegionEnabled) ?? defaults.Enabled;
        var (current, currentBad) = Tracked(() => Text(ConfigNames.RegionCurrentRegion, ValueRules.IsRegionName, ValueRules.RegionAllowed));
        var (witness, witnessBad) = Tracked(() => Text(ConfigNames.RegionWitness, ValueRules.IsRegionName, ValueRules.RegionAllowed));
        var (primary, primaryBad) = Tracked(() => Text(ConfigNames.RegionPrimaryRegion, ValueRules.IsRegionName, ValueRules.RegionAllowed));
        var replicationEnabled = Boolean(ConfigNames.RegionReplicationEnabled) ?? defaults.ReplicationEnabled;
        var regions = RegionList(ConfigNames.RegionRegions, enabled);
        var endpoints = Endpoints();
        var replicationRegions = RegionList(ConfigNames.RegionReplicationRegions, enabled);
        var secretFile = SecretFile();
        var secret = Secret(secretFile);

        var options = new RegionOptions
        {
            Enabled = enabled,
            CurrentRegion = current ?? defaults.CurrentRegion,
            Regions = regions.Values ?? defaults.Regions,
            Endpoints = endpoints.Urls ?? defaults.Endpoints,
            PrimaryRegion = primary ?? defaults.PrimaryRegion,
            ReplicationEnabled = replicationEnabled,
            ReplicationMode = ReplicationModeValue() ?? defaults.ReplicationMode,
            FailoverEnabled = Boolean(ConfigNames.RegionFailoverEnabled) ?? defaults.FailoverEnabled,
            CrossRegionTimeoutSeconds = (int)(Integer(ConfigNames.RegionCrossRegionTimeout, 1, MaxRegionSeconds) ?? defaults.CrossRegionTimeoutSeconds),
            HealthCheckIntervalSeconds = (int)(Integer(ConfigNames.RegionHealthCheckInterval, 1, MaxRegionSeconds) ?? defaults.HealthCheckIntervalSeconds),
            FailureThreshold = (int)(Integer(ConfigNames.RegionFailureThreshold, 1, int.MaxValue) ?? defaults.FailureThreshold),
            SuccessThreshold = (int)(Integer(ConfigNames.RegionSuccessThreshold, 1, int.MaxValue) ?? defaults.SuccessThreshold),
            FailoverCheckIntervalMs = (int)(Integer(ConfigNames.RegionFailoverCheckIntervalMs, 20, 60_000) ?? defaults.FailoverCheckIntervalMs),
            ElectionTimeoutMs = (int)(Integer(ConfigNames.RegionElectionTimeoutMs, 50, 60_000) ?? defaults.ElectionTimeoutMs),
            SwitchoverTimeoutSeconds = (int)(Integer(ConfigNames.RegionSwitchoverTimeout, 1, MaxRegionSeconds) ?? defaults.SwitchoverTimeoutSeconds),
            Witness = witness,
            SecretFile = secretFile?.Path,
            Secret = secret.Value,
        };

        // Absent replication_regions means "all the others" once replication is on.
        var targets = replicationRegions.Values
            ?? (replicationEnabled ? options.Regions.Where(r => r != options.CurrentRegion).ToList() : defaults.ReplicationRegions);
        options = options with { ReplicationRegions = targets };

        if (enabled)
        {
            CheckRegionTogether(options, regions, endpoints, replicationRegions, currentBad || witnessBad, primaryBad, secretFile, secret);
        }

        return options;
    }

    private void CheckRegionTogether(RegionOptions options, RegionListResult regions, EndpointResult endpoints, RegionListResult replicationRegions,
        bool currentBad, bool primaryBad, SecretFileResult? secretFile, SecretResult secret)
    {
        var regionsName = ConfigNames.RegionRegions;
        if (regions.Raw is null)
        {
            errors.Add($"{regionsName.Key} ({regionsName.EnvironmentVariable}): missing; with region.enabled true, list every region of the "
                + "deployment, e.g. [\"us-east-1\", \"eu-west-1\"] (in the environment: us-east-1,eu-west-1)");
        }
        else if (!regions.Bad && regions.Values!.Count == 0)
        {
            errors.Add(ConfigErrors.Invalid(regionsName, regions.Raw, "must list at least one region when region.enabled is true"));
        }

        // Checks against the list only when the list itself is sound, so a typo is not reported twice.
        if (regions.Raw is not null && !regions.Bad && options.Regions.Count > 0)
        {
            var all = options.Regions;
            var listed = string.Join(", ", all);
            var currentName = ConfigNames.RegionCurrentRegion;
            if (options.Witness is { } witnessName && all.Contains(witnessName))
            {
                errors.Add(ConfigErrors.Invalid(ConfigNames.RegionWitness, settings.Get(ConfigNames.RegionWitness)!,
                    $"is one of region.regions ({listed}); a witness is a separate member that stores no data"));
            }

            if (!currentBad && !all.Contains(options.CurrentRegion) && options.CurrentRegion != options.Witness)
            {
                errors.Add(settings.Get(currentName) is { } currentRaw
                    ? ConfigErrors.Invalid(currentName, currentRaw, $"must be one of region.regions: {listed}")
                    : $"{currentName.Key} ({currentName.EnvironmentVariable}): missing; with region.enabled true, set this process's region, "
                        + $"one of region.regions: {listed}");
            }

            if (!primaryBad && options.PrimaryRegion is { } primary && !all.Contains(primary))
            {
                errors.Add(ConfigErrors.Invalid(ConfigNames.RegionPrimaryRegion, settings.Get(ConfigNames.RegionPrimaryRegion)!,
                    $"must be one of region.regions: {listed}"));
            }

            CheckEndpoints(options.Voters, options.Witness is not null, endpoints);
            CheckReplicationRegions(options, replicationRegions);
        }

        if (options.ReplicationMode == ReplicationMode.Sync && !options.IsWitness
            && (!options.ReplicationEnabled || !options.ReplicationRegions.Any(target => target != options.CurrentRegion)))
        {
            errors.Add(ConfigErrors.Invalid(ConfigNames.RegionReplicationMode, settings.Get(ConfigNames.RegionReplicationMode)!,
                "sync acknowledges a write only once another region stored it, so it needs region.replication_enabled true and another region to replicate to"));
        }

        CheckSecret(options, regions, secretFile, secret);
    }

    private void CheckEndpoints(IReadOnlyList<string> regions, bool withWitness, EndpointResult endpoints)
    {
        var name = ConfigNames.RegionEndpoints;
        var listed = string.Join(", ", regions);
        if (endpoints.Raw is null)
        {
            errors.Add($"{name.Key} ({name.EnvironmentVariable}): missing; with region.enabled true, give the base URL of each region's HTTP port "
                + $"({listed}), e.g. {regions[0]}: http://127.0.0.1:3101 (in the environment: {regions[0]}=http://127.0.0.1:3101,…)");
            return;
        }

        // An entry that is not region=URL names no region for sure; it is reported already.
        foreach (var region in regions.Where(r => !endpoints.Malformed && !endpoints.Mentioned.Contains(r)))
        {
            errors.Add($"{name.Key}.{region} ({endpoints.Raw.EnvironmentVariable}): missing; every region in region.regions needs the base URL "
                + $"of its HTTP port, e.g. {region}: http://127.0.0.1:3101{endpoints.Raw.Where}");
        }

        foreach (var (region, raw) in endpoints.Entries.Where(e => !regions.Contains(e.Region)))
        {
            errors.Add(ConfigErrors.Invalid($"{name.Key}.{region}", raw,
                withWitness
                    ? $"{region} is neither in region.regions nor the witness ({listed}); remove this endpoint or add the region"
                    : $"{region} is not in region.regions ({listed}); remove this endpoint or add the region"));
        }
    }

    private void CheckReplicationRegions(RegionOptions options, RegionListResult replicationRegions)
    {
        if (replicationRegions.Raw is null || replicationRegions.Bad)
        {
            return;
        }

        var others = options.Regions.Where(r => r != options.CurrentRegion).ToList();
        var allowed = others.Count > 0 ? $"one of the other regions: {string.Join(", ", others)}" : "nothing: there is no other region";
        for (var i = 0; i < replicationRegions.Items.Count; i++)
        {
            var item = replicationRegions.Items[i];
            var key = $"{ConfigNames.RegionReplicationRegions.Key}[{i}]";
            if (item.Text == options.CurrentRegion)
            {
                errors.Add(ConfigErrors.Invalid(key, item, $"is the current region (a region does not replicate to itself); allowed: {allowed}"));
            }
            else if (!options.Regions.Contains(item.Text))
            {
                errors.Add(ConfigErrors.Invalid(key, item, $"is not in region.regions; allowed: {allowed}"));
            }
        }
    }

    private void CheckSecret(RegionOptions options, RegionListResult regions, SecretFileResult? secretFile, SecretResult secret)
    {
        var regionCount = regions.Items.Count;
        if (secret.Value is null)
        {
            var reasons = new List<string>();
            if (options.ReplicationEnabled)
            {
                reasons.Add("region.replication_enabled true");
            }

            if (regionCount > 1)
            {
                reasons.Add($"{regionCount} regions");
            }

            // A secret file that could not be read has been reported already.
            if (reasons.Count > 0 && secretFile is not { Failed: true })
            {
                var name = ConfigNames.RegionSecret;
                errors.Add($"{name.Key} ({name.EnvironmentVariable}): missing; with {string.Join(" and ", reasons)}, the regions need a shared "
                    + $"secret of at least {MinSecretLength} characters: set {name.EnvironmentVariable} or name a file holding it in "
                    + $"{ConfigNames.RegionSecretFile.Key} ({ConfigNames.RegionSecretFile.EnvironmentVariable})");
            }

            return;
        }

        if (secret.Value.Length >= MinSecretLength)
        {
            return;
        }

        var tooShort = $"at least {MinSecretLength} characters";
        if (secret.FromEnvironment is { } raw)
        {
            errors.Add(ConfigErrors.InvalidSecret(ConfigNames.RegionSecret.Key, raw, $"must be {tooShort} (has {secret.Value.Length})"));
        }
        else if (secretFile is not null)
        {
            errors.Add(ConfigErrors.Invalid(ConfigNames.RegionSecretFile, secretFile.Raw,
                $"the secret in {secretFile.Path} has {secret.Value.Length} characters; it must have {tooShort}"));
        }
    }

    /// <summary>Names, from a YAML list or comma-separated text; each one checked, duplicates only when region.enabled is true.</summary>
    private RegionListResult RegionList(ConfigName name, bool enabled)
    {
        var raw = settings.Get(name);
        if (raw is null)
        {
            return new RegionListResult(null, null, [], false);
        }

        var items = raw.Items ?? raw.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(text => raw with { Text = text })
            .ToList();
        var values = new List<string>();
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var bad = false;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!ValueRules.IsRegionName(item.Text))
            {
                errors.Add(ConfigErrors.Invalid($"{name.Key}[{i}]", item, ValueRules.RegionAllowed));
                bad = true;
            }
            else if (first.TryGetValue(item.Text, out var earlier))
            {
                if (enabled)
                {
                    errors.Add(ConfigErrors.Invalid($"{name.Key}[{i}]", item, $"duplicate; {item.Text} is {name.Key}[{earlier}] already"));
                    bad = true;
                }
            }
            else
            {
                first[item.Text] = i;
                values.Add(item.Text);
            }
        }

        return new RegionListResult(raw, bad ? null : values, items, bad);
    }

    /// <summary>Region → URL, from a YAML mapping or <c>region=url,region=url</c>.</summary>
    private EndpointResult Endpoints()
    {
        var name = ConfigNames.RegionEndpoints;
        var raw = settings.Get(name);
        var result = new EndpointResult(raw);
        if (raw is null)
        {
            return result;
        }

        var pairs = raw.Pairs;
        if (pairs is null)
        {
            var parsed = new List<KeyValuePair<RawValue, RawValue>>();
            foreach (var entry in raw.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0)
                {
                    errors.Add(ConfigErrors.Invalid(name, raw with { Text = entry },
                        "must be region=URL entries separated by commas, e.g. us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102"));
                    result.Malformed = true;
                    continue;
                }

                parsed.Add(new(raw with { Text = entry[..equals].Trim() }, raw with { Text = entry[(equals + 1)..].Trim() }));
            }

            pairs = parsed;
        }

        var urls = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var (regionRaw, urlRaw) in pairs)
        {
            var region = regionRaw.Text;
            if (!ValueRules.IsRegionName(region))
            {
                errors.Add(ConfigErrors.Invalid(name, regionRaw, "each endpoint's region " + ValueRules.RegionAllowed));
                continue;
            }

            if (!result.Mentioned.Add(region))
            {
                errors.Add(ConfigErrors.Invalid($"{name.Key}.{region}", urlRaw, $"duplicate; {region} has an endpoint already"));
                continue;
            }

            if (!Uri.TryCreate(urlRaw.Text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            {
                errors.Add(ConfigErrors.Invalid($"{name.Key}.{region}", urlRaw, UrlAllowed));
                continue;
            }

            urls[region] = url;
            result.Entries.Add((region, urlRaw));
        }

        result.Urls = urls;
        return result;
    }

    private ReplicationMode? ReplicationModeValue()
    {
        var raw = settings.Get(ConfigNames.RegionReplicationMode);
        switch (raw?.Text)
        {
            case null:
                return null;
            case "async":
                return ReplicationMode.Async;
            case "sync":
                return ReplicationMode.Sync;
            default:
                errors.Add(ConfigErrors.Invalid(ConfigNames.RegionReplicationMode, raw, "must be async or sync"));
                return null;
        }
    }

    /// <summary>Absolute; relative to the config file's folder, or to the current one from env and flags.</summary>
    private SecretFileResult? SecretFile()
    {
        var name = ConfigNames.RegionSecretFile;
        var raw = settings.Get(name);
        if (raw is null)
        {
            return null;
        }

        try
        {
            if (raw.Text.Trim().Length > 0)
            {
                return new SecretFileResult(raw, Path.GetFullPath(raw.Text, raw.BaseDirectory ?? Directory.GetCurrentDirectory()));
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // Reported below.
        }

        errors.Add(ConfigErrors.Invalid(name, raw, "must be the path of a file holding the inter-region secret"));
        return null;
    }

    /// <summary><c>GHIDRA_REGION__SECRET</c> if set, else the secret file's content; both trimmed.</summary>
    private SecretResult Secret(SecretFileResult? secretFile)
    {
        var fromEnvironment = settings.Get(ConfigNames.RegionSecret);
        if (fromEnvironment is not null && fromEnvironment.Text.Trim().Length > 0)
        {
            return new SecretResult(fromEnvironment.Text.Trim(), fromEnvironment);
        }

        if (secretFile is null)
        {
            return new SecretResult(null, null);
        }

        var problem = "";
        try
        {
            if (Directory.Exists(secretFile.Path))
            {
                problem = $"{secretFile.Path} is a folder, not a file";
            }
            else
            {
                var text = File.ReadAllText(secretFile.Path).Trim();
                if (text.Length > 0)
                {
                    return new SecretResult(text, null);
                }

                problem = $"{secretFile.Path} is empty";
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = $"{secretFile.Path} not found";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{secretFile.Path} cannot be read ({e.Message})";
        }

        secretFile.Failed = true;
        errors.Add(ConfigErrors.Invalid(ConfigNames.RegionSecretFile, secretFile.Raw,
            $"{problem}; it must be a readable file holding the inter-region secret (at least {MinSecretLength} characters)"));
        return new SecretResult(null, null);
    }

    private (T? Value, bool Failed) Tracked<T>(Func<T?> bind)
    {
        var before = errors.Count;
        var value = bind();
        return (value, errors.Count > before);
    }

    /// <summary>A list key: as written (<see cref="Raw"/>), its items, and the unique valid names unless any was bad.</summary>
    private sealed record RegionListResult(RawValue? Raw, List<string>? Values, IReadOnlyList<RawValue> Items, bool Bad);

    private sealed class EndpointResult(RawValue? raw)
    {
        public RawValue? Raw { get; } = raw;

        public Dictionary<string, Uri>? Urls { get; set; }

        /// <summary>Regions named in the endpoints, valid URL or not, so a bad URL is not also reported as missing.</summary>
        public HashSet<string> Mentioned { get; } = new(StringComparer.Ordinal);

        /// <summary>The valid entries.</summary>
        public List<(string Region, RawValue Url)> Entries { get; } = [];

        /// <summary>An environment or flag entry was not <c>region=URL</c>.</summary>
        public bool Malformed { get; set; }
    }

    private sealed class SecretFileResult(RawValue raw, string path)
    {
        public RawValue Raw { get; } = raw;

        public string Path { get; } = path;

        public bool Failed { get; set; }
    }

    private sealed record SecretResult(string? Value, RawValue? FromEnvironment);
}
