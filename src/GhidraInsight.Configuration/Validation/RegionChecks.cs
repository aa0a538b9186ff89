namespace GhidraInsight.Configuration;

/// <summary>The checks of an enabled <c>region:</c> section against itself, each problem one line naming the value as written.</summary>
internal sealed class RegionChecks(RegionOptions options, ISettingOrigins origins, List<string> errors)
{
    public RegionOptions Options => options;

    public List<string> Errors => errors;

    /// <summary>The key as written, or, for a value set in code, as if written; <see langword="null"/> when it holds its default unasked.</summary>
    public RawSetting? Given<TValue>(Setting<RegionOptions, TValue> setting) =>
        origins.Get(setting) ?? (setting.IsDefault(options) ? null : setting.Describe(options));

    /// <summary>The key as read from a source, or <see langword="null"/> when no source gave it.</summary>
    public RawSetting? Read(ConfigName setting) => origins.Get(setting);

    public bool Failed(ConfigName setting) => origins.Failed(setting);

    public void CheckTopology()
    {
        var regions = Given(RegionSettings.Regions);
        var regionsBad = ReportDuplicates(RegionSettings.Regions, regions) | Failed(RegionSettings.Regions);
        var targets = Given(RegionSettings.ReplicationRegions);
        var targetsBad = ReportDuplicates(RegionSettings.ReplicationRegions, targets) | Failed(RegionSettings.ReplicationRegions);
        var name = RegionSettings.Regions;
        if (regions is null)
        {
            errors.Add($"{name}: missing; with region.enabled true, list every region of the deployment, "
                + "e.g. [\"us-east-1\", \"eu-west-1\"] (in the environment: us-east-1,eu-west-1)");
        }
        else if (!regionsBad && options.Regions.Count == 0)
        {
            errors.Add(ConfigErrors.Invalid(name.Key, regions.Value, "must list at least one region when region.enabled is true"));
        }

        // Checks against the list only when the list itself is sound, so a typo is not reported twice.
        if (regions is not null && !regionsBad && options.Regions.Count > 0)
        {
            CheckMembers();
            CheckEndpoints();
            if (targets is not null && !targetsBad)
            {
                CheckReplicationTargets(targets);
            }
        }

        if (options.ReplicationMode == ReplicationMode.Sync && !options.IsWitness
            && (!options.ReplicationEnabled || !options.ReplicationRegions.Any(target => target != options.CurrentRegion)))
        {
            errors.Add(ConfigErrors.Invalid(RegionSettings.ReplicationMode.Key, Given(RegionSettings.ReplicationMode)!.Value,
                "sync acknowledges a write only once another region stored it, so it needs region.replication_enabled true and another region to replicate to"));
        }
    }

    /// <summary>A name listed twice; only an enabled region section cares, so binding keeps the first and leaves this here.</summary>
    private bool ReportDuplicates(ConfigName setting, RawSetting? raw)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var found = false;
        for (var i = 0; i < (raw?.Items.Count ?? 0); i++)
        {
            var item = raw!.Items[i];
            if (!ValueRules.IsRegionName(item.Text))
            {
                continue;
            }

            if (first.TryGetValue(item.Text, out var earlier))
            {
                errors.Add(ConfigErrors.Invalid($"{setting.Key}[{i}]", item, $"duplicate; {item.Text} is {setting.Key}[{earlier}] already"));
                found = true;
            }
            else
            {
                first[item.Text] = i;
            }
        }

        return found;
    }

    private void CheckMembers()
    {
        var listed = string.Join(", ", options.Regions);
        if (options.Witness is { } witness && options.Regions.Contains(witness))
        {
            errors.Add(ConfigErrors.Invalid(RegionSettings.Witness.Key, Given(RegionSettings.Witness)!.Value,
                $"is one of region.regions ({listed}); a witness is a separate member that stores no data"));
        }

        var current = RegionSettings.CurrentRegion;
        if (!Failed(current) && !Failed(RegionSettings.Witness) && !options.Regions.Contains(options.CurrentRegion) && options.CurrentRegion != options.Witness)
        {
            errors.Add(Given(current) is { } raw
                ? ConfigErrors.Invalid(current.Key, raw.Value, $"must be one of region.regions: {listed}")
                : $"{current}: missing; with region.enabled true, set this process's region, one of region.regions: {listed}");
        }

        if (!Failed(RegionSettings.PrimaryRegion) && options.PrimaryRegion is { } primary && !options.Regions.Contains(primary))
        {
            errors.Add(ConfigErrors.Invalid(RegionSettings.PrimaryRegion.Key, Given(RegionSettings.PrimaryRegion)!.Value, $"must be one of region.regions: {listed}"));
        }
    }

    private void CheckEndpoints()
    {
        var (name, voters) = (RegionSettings.Endpoints, options.Voters);
        var listed = string.Join(", ", voters);
        if (Given(name) is not { } raw)
        {
            errors.Add($"{name}: missing; with region.enabled true, give the base URL of each region's HTTP port "
                + $"({listed}), e.g. {voters[0]}: http://127.0.0.1:3101 (in the environment: {voters[0]}=http://127.0.0.1:3101,…)");
            return;
        }

        // Regions named in the endpoints, good URL or not, so a bad URL is not also reported as missing; an entry a
        // source could not read names no region for sure, and is reported already.
        var mentioned = raw.Pairs.Select(p => p.Key.Text).Where(ValueRules.IsRegionName).ToHashSet(StringComparer.Ordinal);
        foreach (var region in voters.Where(r => !origins.Incomplete(name) && !mentioned.Contains(r)))
        {
            errors.Add($"{name.Key}.{region} ({raw.Value.EnvironmentVariable}): missing; every region in region.regions needs the base URL "
                + $"of its HTTP port, e.g. {region}: http://127.0.0.1:3101{raw.Value.Where}");
        }

        foreach (var region in options.Endpoints.Keys.Where(r => !voters.Contains(r)))
        {
            var url = raw.Pairs.Last(p => p.Key.Text == region).Value;
            errors.Add(ConfigErrors.Invalid($"{name.Key}.{region}", url, options.Witness is not null
                ? $"{region} is neither in region.regions nor the witness ({listed}); remove this endpoint or add the region"
                : $"{region} is not in region.regions ({listed}); remove this endpoint or add the region"));
        }
    }

    private void CheckReplicationTargets(RawSetting targets)
    {
        var others = options.Regions.Where(r => r != options.CurrentRegion).ToList();
        var allowed = others.Count > 0 ? $"one of the other regions: {string.Join(", ", others)}" : "nothing: there is no other region";
        for (var i = 0; i < targets.Items.Count; i++)
        {
            var item = targets.Items[i];
            var key = $"{RegionSettings.ReplicationRegions.Key}[{i}]";
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
}
