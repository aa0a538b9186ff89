using System.Reflection;
using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests.Settings;

/// <summary>The one declaration per key: names, variables, reloadability, and that the binder and the writer cover every key.</summary>
public sealed class DeclarationTableTests
{
    private static readonly string[] ReloadableKeys =
    [
        "server.rate_limit_per_minute", "auth.api_keys", "region.primary_region", "region.health_check_interval",
        "region.failure_threshold", "region.success_threshold", "region.failover_check_interval_ms", "region.replication_mode",
        "region.secret", "region.secret_file", "region.previous_secret", "region.previous_secret_file",
        "gateway.probe_interval_ms", "gateway.success_threshold", "gateway.retry_budget",
    ];

    [Fact]
    public void EveryKey_HasItsOwnEnvironmentVariable_AndNoSeedNameIsAnotherKeysVariable()
    {
        var variables = ConfigNames.All.Select(n => n.EnvironmentVariable)
            .Concat(ConfigNames.All.Select(n => n.SeedEnvironmentVariable).OfType<string>())
            .ToList();

        Assert.Equal(variables.Count, variables.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ConfigNames.All.Count, ConfigNames.All.Select(n => n.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["GHIDRA_REGION_ENABLED", "GHIDRA_REGION_CURRENT", "GHIDRA_REGION_PRIMARY", "GHIDRA_REGION_REPLICATION_ENABLED"],
            ConfigNames.All.Select(n => n.SeedEnvironmentVariable).OfType<string>());
    }

    [Fact]
    public void ReloadableKeys_AreExactlyTheOnesAReloadMayChange()
    {
        Assert.Equal(ReloadableKeys.Order(StringComparer.Ordinal), ConfigNames.Reloadable.Select(n => n.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryPropertyOfEverySection_IsDeclaredByExactlyOneKey()
    {
        var declared = new Dictionary<Type, IEnumerable<string>>
        {
            [typeof(ServerOptions)] = ServerSettings.Section.Settings.Select(Property),
            [typeof(StorageOptions)] = StorageSettings.Section.Settings.Select(Property),
            [typeof(AuthOptions)] = AuthSettings.Section.Settings.Select(Property),
            [typeof(RegionOptions)] = RegionSettings.Section.Settings.Select(Property),
            [typeof(GatewayOptions)] = GatewaySettings.Section.Settings.Select(Property),
        };

        foreach (var (type, properties) in declared)
        {
            // Settable properties only: Voters, IsWitness and EffectivePrimary are computed from the others.
            var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).Select(p => p.Name);
            Assert.Equal(settable.Order(StringComparer.Ordinal), properties.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void EveryWrittenKey_WithAValueOtherThanItsDefault_RoundTripsThroughConfigWriter()
    {
        using var folder = new ConfigFolder();
        File.WriteAllText(Path.Combine(folder.Path, "region-secret"), RegionConfigTests.Secret);
        File.WriteAllText(Path.Combine(folder.Path, "region-secret-before"), "the-previous-secret-of-enough-length");
        File.WriteAllText(Path.Combine(folder.Path, "db-password"), "db-password-1");
        var original = EveryKeyChanged(folder);
        foreach (var setting in RegionSettings.Section.Settings.Where(s => s.IsWritten))
        {
            Assert.False(setting.IsDefault(original.Region), $"{setting.Key} keeps its default in this test; give it another value");
        }

        foreach (var setting in ServerSettings.Section.Settings)
        {
            Assert.False(setting.IsDefault(original.Server), $"{setting.Key} keeps its default in this test; give it another value");
        }

        foreach (var setting in GatewaySettings.Section.Settings)
        {
            Assert.False(setting.IsDefault(original.Gateway), $"{setting.Key} keeps its default in this test; give it another value");
        }

        var yaml = ConfigWriter.ToYaml(original);
        folder.Write(yaml);
        var readBack = folder.Load();

        Assert.Equal(original, readBack);
        foreach (var setting in ConfigNames.All.Where(s => s.IsWritten))
        {
            // A key of a group (tls.cert_file) is written inside its group's mapping.
            var names = setting.Name.Split('.');
            foreach (var (name, depth) in names.Select((name, depth) => (name, depth)))
            {
                Assert.Contains($"\n{new string(' ', 2 * (depth + 1))}{name}:", yaml, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(RegionConfigTests.Secret, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("the-previous-secret-of-enough-length", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("db-password-1", yaml, StringComparison.Ordinal);
    }

    private static string Property<TSection>(Setting<TSection> setting)
        where TSection : class, new() =>
        setting.GetType().GetProperty("Property")!.GetValue(setting) as string ?? "";

    /// <summary>Valid options in which every written key differs from its default.</summary>
    private static GhidraOptions EveryKeyChanged(ConfigFolder folder) => new()
    {
        Server = new ServerOptions
        {
            Host = "0.0.0.0", Port = 4101, MaxUploadBytes = 1000, AnalysisConcurrency = 1000, AnalysisQueueLimit = 3,
            AnalysisTimeoutSeconds = 7, RequestTimeoutSeconds = 9, RateLimitPerMinute = 11,
            TlsCertFile = Path.Combine(folder.Path, "region.crt"), TlsKeyFile = Path.Combine(folder.Path, "region.key"), AllowInsecureHttp = true,
        },
        // The provider stays sqlite: PostgreSQL with several regions is refused for now; its keys are written all the same.
        Storage = new StorageOptions
        {
            DataDir = Path.Combine(folder.Path, "data"), MaxBinaryBytes = 12, CacheEntries = 13, ConnectionString = "Host=db-us:5432,db-eu:5432;Database=gi;Username=gi",
            PasswordFile = Path.Combine(folder.Path, "db-password"), Password = "db-password-1", ReadHost = "db-eu:5432", WriteDeadlineMs = 4000,
            PatroniUrl = "http://127.0.0.1:8008", ReserveBytes = 0,
        },
        Auth = new AuthOptions { ApiKeys = [new ApiKeyOptions { Name = "ci", Role = ApiRole.Annotate, KeySha256 = new string('b', 64) }] },
        Region = new RegionOptions
        {
            Enabled = true, CurrentRegion = "eu-west-1", Regions = ["us-east-1", "eu-west-1", "ap-south-1"],
            Endpoints = new Dictionary<string, Uri>
            {
                ["us-east-1"] = new("http://127.0.0.1:3101"), ["eu-west-1"] = new("http://127.0.0.1:3102"),
                ["ap-south-1"] = new("http://127.0.0.1:3103"), ["tie-breaker"] = new("http://127.0.0.1:3109"),
            },
            PrimaryRegion = "ap-south-1", ReplicationEnabled = true, ReplicationRegions = ["ap-south-1"], ReplicationMode = ReplicationMode.Sync,
            FailoverEnabled = true, CrossRegionTimeoutSeconds = 14, HealthCheckIntervalSeconds = 15, FailureThreshold = 16, SuccessThreshold = 17,
            FailoverCheckIntervalMs = 180, ElectionTimeoutMs = 190, SwitchoverTimeoutSeconds = 20, Witness = "tie-breaker",
            OutboxRetentionSeconds = 3600, OutboxMaxEntries = 0, SecretFile = Path.Combine(folder.Path, "region-secret"), Secret = RegionConfigTests.Secret,
            PreviousSecretFile = Path.Combine(folder.Path, "region-secret-before"), PreviousSecret = "the-previous-secret-of-enough-length",
            CaFile = Path.Combine(folder.Path, "ca.crt"), ClientCertFile = Path.Combine(folder.Path, "client.crt"), ClientKeyFile = Path.Combine(folder.Path, "client.key"),
        },
        Gateway = new GatewayOptions { Host = "0.0.0.0", Port = 4000, ProbeIntervalMs = 500, SuccessThreshold = 3, RetryBudget = 4, ConnectTimeoutMs = 700,
            TlsCertFile = Path.Combine(folder.Path, "gateway.crt"), TlsKeyFile = Path.Combine(folder.Path, "gateway.key"), AllowInsecureHttp = true,
        },
    };
}
