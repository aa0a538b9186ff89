using System.Security.Cryptography;
using GhidraInsight.Configuration;

namespace GhidraInsight.Cli.Up;

/// <summary>
/// What <c>up</c> runs: one region per name on consecutive loopback ports, each with its own SQLite folder under the data
/// folder, all sharing a generated secret, the first region preferred primary, every region replicating to all the others, and
/// automatic failover on when there are at least three.
/// Each region's effective config is written to <c>DATA/&lt;region&gt;/config.yaml</c> so it can be run by hand; the gateway's, with
/// the same regions and its port, to <c>DATA/gateway/config.yaml</c>.
/// </summary>
internal sealed record ClusterPlan(string DataDirectory, string SecretFile, IReadOnlyList<(string Region, string ConfigPath, GhidraOptions Options)> Regions,
    string GatewayConfigPath, GhidraOptions GatewayOptions, PostgresEngines? Engines = null, UpTls? Tls = null)
{
    /// <summary>How often the gateway of <c>up</c> probes the regions: a dead region is noticed within a second.</summary>
    public const int GatewayProbeIntervalMs = 1000;

    /// <summary>
    /// The plan; with <paramref name="postgres"/>, the regions keep their data in PostgreSQL under Patroni and etcd on this machine
    /// (<see cref="PostgresEngines"/>): each reads its own database and follows its own Patroni, and our replication is off.
    /// </summary>
    /// <param name="tls">HTTPS everywhere, with mutual TLS between regions, from certificates made under <c>DATA/tls</c> (<see cref="UpTls"/>).</param>
    public static ClusterPlan Create(string dataDirectory, IReadOnlyList<string> regions, int firstPort, int gatewayPort = 3000, bool postgres = false, bool tls = false)
    {
        var data = Path.GetFullPath(dataDirectory);
        var engines = postgres ? new PostgresEngines(Path.Combine(data, "postgres"), PostgresEngines.Plan(regions, firstPort)) : null;
        Directory.CreateDirectory(data);
        var secretFile = Path.Combine(data, "region-secret");
        EnsureSecret(secretFile);
        var certificates = tls ? UpTls.Ensure(data) : null;
        var scheme = tls ? "https" : "http";
        var endpoints = regions.Select((r, i) => (r, new Uri($"{scheme}://127.0.0.1:{firstPort + i}"))).ToDictionary(p => p.r, p => p.Item2);
        var planned = regions.Select((region, i) =>
        {
            var folder = Path.Combine(data, region);
            Directory.CreateDirectory(folder);
            var options = new GhidraOptions
            {
                // Loopback only and no keys: the per-client rate limit would only throttle the one local user.
                Server = new ServerOptions
                {
                    Host = "127.0.0.1", Port = firstPort + i, RateLimitPerMinute = 0, TlsCertFile = certificates?.CertificateFile, TlsKeyFile = certificates?.KeyFile,
                },
                Storage = engines is null ? new StorageOptions { DataDir = folder } : PostgresStorage(engines, engines.Members[i], folder),
                Region = new RegionOptions
                {
                    Enabled = true,
                    CurrentRegion = region,
                    Regions = regions,
                    Endpoints = endpoints,
                    PrimaryRegion = regions[0],
                    ReplicationEnabled = regions.Count > 1,
                    ReplicationRegions = [.. regions.Where(r => r != region)],
                    // Three or more regions fail over on their own; two would need a witness to do it safely.
                    FailoverEnabled = regions.Count >= 3,
                    // On PostgreSQL: Patroni's synchronous mode, so an acknowledged write survives the loss of the primary.
                    ReplicationMode = engines is null ? ReplicationMode.Async : ReplicationMode.Sync,
                    SecretFile = secretFile,
                    CaFile = certificates?.CaFile,
                    ClientCertFile = certificates?.CertificateFile,
                    ClientKeyFile = certificates?.KeyFile,
                },
            };
            return (region, Path.Combine(folder, "config.yaml"), options);
        }).ToList();
        // The gateway reads the regions as a region's own file names them; storage and current_region mean nothing to it.
        var gatewayFolder = Path.Combine(data, "gateway");
        Directory.CreateDirectory(gatewayFolder);
        var gateway = planned[0].options with
        {
            Storage = new StorageOptions { DataDir = gatewayFolder },
            Gateway = new GatewayOptions
            {
                Host = "127.0.0.1", Port = gatewayPort, ProbeIntervalMs = GatewayProbeIntervalMs, TlsCertFile = certificates?.CertificateFile,
                TlsKeyFile = certificates?.KeyFile,
            },
        };
        return new ClusterPlan(data, secretFile, planned, Path.Combine(gatewayFolder, "config.yaml"), gateway, engines, certificates);
    }

    private static StorageOptions PostgresStorage(PostgresEngines engines, PostgresEngines.Member member, string folder) => new()
    {
        Provider = "postgres",
        DataDir = folder,
        ConnectionString = engines.ConnectionString,
        PasswordFile = engines.AppPasswordFile,
        ReadHost = $"127.0.0.1:{member.PostgresPort}",
        PatroniUrl = member.RestApi.ToString(),
    };

    /// <summary>Writes every region's config.yaml and the gateway's (without the secret itself: it stays in the secret file).</summary>
    public void WriteConfigs()
    {
        foreach (var (_, path, options) in Regions)
        {
            File.WriteAllText(path, ConfigWriter.ToYaml(options));
        }

        File.WriteAllText(GatewayConfigPath, ConfigWriter.ToYaml(GatewayOptions));
    }

    private static void EnsureSecret(string path)
    {
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            return;
        }
        File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
