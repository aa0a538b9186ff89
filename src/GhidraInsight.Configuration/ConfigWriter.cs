using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>Writes options as a <c>config.yaml</c> that <see cref="ConfigLoader"/> reads back to equal options.</summary>
public static class ConfigWriter
{
    /// <summary>
    /// Every key, API keys as <c>key_sha256</c> only. The inter-region secret is never written, only <c>region.secret_file</c>:
    /// a secret given through <c>GHIDRA_REGION__SECRET</c> has to be given that way again. <c>storage.data_dir</c> is written as held (absolute after loading),
    /// so the file works wherever it is put. The connection string is written too: keep the file private.
    /// </summary>
    public static string ToYaml(GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (server, storage, region) = (options.Server, options.Storage, options.Region);

        var root = new YamlMappingNode
        {
            { "server", Section(
                (ConfigNames.ServerHost, Text(server.Host)),
                (ConfigNames.ServerPort, Number(server.Port)),
                (ConfigNames.ServerMaxUploadBytes, Number(server.MaxUploadBytes)),
                (ConfigNames.ServerAnalysisConcurrency, Number(server.AnalysisConcurrency)),
                (ConfigNames.ServerAnalysisQueueLimit, Number(server.AnalysisQueueLimit)),
                (ConfigNames.ServerAnalysisTimeoutSeconds, Number(server.AnalysisTimeoutSeconds)),
                (ConfigNames.ServerRequestTimeoutSeconds, Number(server.RequestTimeoutSeconds)),
                (ConfigNames.ServerRateLimitPerMinute, Number(server.RateLimitPerMinute))) },
            { "storage", Section(
                (ConfigNames.StorageProvider, Text(storage.Provider)),
                (ConfigNames.StorageDataDir, Text(storage.DataDir)),
                (ConfigNames.StorageConnectionString, Text(storage.ConnectionString)),
                (ConfigNames.StorageMaxBinaryBytes, Number(storage.MaxBinaryBytes)),
                (ConfigNames.StorageCacheEntries, Number(storage.CacheEntries))) },
            { "auth", Section((ConfigNames.AuthApiKeys, ApiKeys(options.Auth))) },
            { "region", Section(
                (ConfigNames.RegionEnabled, Flag(region.Enabled)),
                (ConfigNames.RegionCurrentRegion, Text(region.CurrentRegion)),
                (ConfigNames.RegionRegions, Names(region.Regions)),
                (ConfigNames.RegionEndpoints, Endpoints(region.Endpoints)),
                (ConfigNames.RegionPrimaryRegion, region.PrimaryRegion is null ? null : Text(region.PrimaryRegion)),
                (ConfigNames.RegionReplicationEnabled, Flag(region.ReplicationEnabled)),
                (ConfigNames.RegionReplicationRegions, IsDefaultReplication(region) ? null : Names(region.ReplicationRegions)),
                (ConfigNames.RegionReplicationMode, new YamlScalarNode(region.ReplicationMode.ToString().ToLowerInvariant())),
                (ConfigNames.RegionFailoverEnabled, Flag(region.FailoverEnabled)),
                (ConfigNames.RegionCrossRegionTimeout, Number(region.CrossRegionTimeoutSeconds)),
                (ConfigNames.RegionHealthCheckInterval, Number(region.HealthCheckIntervalSeconds)),
                (ConfigNames.RegionFailureThreshold, Number(region.FailureThreshold)),
                (ConfigNames.RegionSuccessThreshold, Number(region.SuccessThreshold)),
                (ConfigNames.RegionFailoverCheckIntervalMs, Number(region.FailoverCheckIntervalMs)),
                (ConfigNames.RegionElectionTimeoutMs, Number(region.ElectionTimeoutMs)),
                (ConfigNames.RegionSwitchoverTimeout, Number(region.SwitchoverTimeoutSeconds)),
                (ConfigNames.RegionWitness, region.Witness is null ? null : Text(region.Witness)),
                (ConfigNames.RegionSecretFile, region.SecretFile is null ? null : Text(region.SecretFile))) },
        };

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.Write("# GhidraInsight effective configuration (written by ghidrainsight; key_sha256 holds hashes, never keys).\n");
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);

        // The stream ends with an explicit "..." document-end marker, which readers do not need.
        var yaml = writer.ToString().ReplaceLineEndings("\n");
        return yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^"...\n".Length] : yaml;
    }

    private static YamlMappingNode Section(params (ConfigName Name, YamlNode? Value)[] entries)
    {
        var section = new YamlMappingNode();
        foreach (var (name, value) in entries)
        {
            if (value is not null)
            {
                section.Add(name.Name, value);
            }
        }

        return section;
    }

    private static YamlSequenceNode ApiKeys(AuthOptions auth)
    {
        var list = new YamlSequenceNode();
        foreach (var key in auth.ApiKeys)
        {
            list.Add(new YamlMappingNode
            {
                { "name", Text(key.Name) },
                { "role", key.Role.ToString().ToLowerInvariant() },
                { "key_sha256", key.KeySha256 },
            });
        }

        if (list.Children.Count == 0)
        {
            list.Style = YamlDotNet.Core.Events.SequenceStyle.Flow;
        }

        return list;
    }

    /// <summary>
    /// Replication targets equal to what the loader picks when the key is absent (all the other regions, or none without
    /// replication) are left out, so the file keeps following the region list.
    /// </summary>
    private static bool IsDefaultReplication(RegionOptions region) =>
        region.ReplicationRegions.SequenceEqual(region.ReplicationEnabled ? region.Regions.Where(r => r != region.CurrentRegion) : []);

    private static YamlSequenceNode Names(IEnumerable<string> names)
    {
        var list = new YamlSequenceNode { Style = YamlDotNet.Core.Events.SequenceStyle.Flow };
        foreach (var name in names)
        {
            list.Add(Text(name));
        }

        return list;
    }

    private static YamlMappingNode Endpoints(IReadOnlyDictionary<string, Uri> endpoints)
    {
        var mapping = new YamlMappingNode();
        foreach (var (region, url) in endpoints)
        {
            mapping.Add(region, Text(url.OriginalString));
        }

        if (mapping.Children.Count == 0)
        {
            mapping.Style = YamlDotNet.Core.Events.MappingStyle.Flow;
        }

        return mapping;
    }

    // Strings are always quoted so a value like "true" or "0123" stays a string to any YAML reader.
    private static YamlScalarNode Text(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static YamlScalarNode Number(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    private static YamlScalarNode Flag(bool value) => new(value ? "true" : "false");
}
