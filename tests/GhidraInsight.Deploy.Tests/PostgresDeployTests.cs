using System.Diagnostics;
using GhidraInsight.Configuration;
using GhidraInsight.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// deploy/postgres/: each region's Patroni configuration passes Patroni's own validator but for the placeholder host names,
/// the etcd members form one cluster with sound timings, and GhidraInsight's loader accepts each region's settings.
/// </summary>
public sealed class PostgresDeployTests
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    public static TheoryData<string> RegionNames => new(Regions);

    [Theory]
    [MemberData(nameof(RegionNames))]
    public async Task PatronisOwnValidator_FindsNothingButThePlaceholderHostNames(string region)
    {
        var psi = new ProcessStartInfo("patroni", ["--validate-config", DeployFiles.FullPath("deploy/postgres/patroni.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in EnvFile(region))
        {
            psi.Environment[name] = value;
        }

        // Passwords come from the secret store in production.
        psi.Environment["PATRONI_SUPERUSER_PASSWORD"] = "test-superuser";
        psi.Environment["PATRONI_REPLICATION_PASSWORD"] = "test-replication";
        psi.Environment["PATRONI_REWIND_PASSWORD"] = "test-rewind";
        using var patroni = Process.Start(psi)!;
        var output = patroni.StandardOutput.ReadToEndAsync();
        var errors = await patroni.StandardError.ReadToEndAsync();
        await patroni.WaitForExitAsync();
        var complaints = (await output + errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // The example hosts (*.internal.example) cannot resolve here; anything else Patroni says is a mistake in the file.
        Assert.NotEmpty(complaints);
        Assert.All(complaints, line => Assert.Matches(@"^etcd3\.hosts\.\d etcd-[a-z0-9-]+\.internal\.example:2379 didn't pass validation: .*(not known|resolution)", line));
    }

    [Fact]
    public void PatronisTimings_LetAFailoverFinishWithinTtlPlusLoopWait_AndRideOutAnEtcdElection()
    {
        var dcs = (YamlMappingNode)Yaml("deploy/postgres/patroni.yml")["bootstrap"]["dcs"];
        var (ttl, loopWait, retryTimeout) = (Int(dcs["ttl"]), Int(dcs["loop_wait"]), Int(dcs["retry_timeout"]));
        var electionMs = Int(Yaml("deploy/postgres/etcd-us-east-1.conf.yml")["election-timeout"]);

        Assert.True(loopWait + (2 * retryTimeout) <= ttl, "Patroni requires loop_wait + 2 x retry_timeout <= ttl");
        Assert.True(retryTimeout * 1000 > electionMs, "retry_timeout must outlast an etcd election");
        Assert.Equal("true", ((YamlScalarNode)dcs["synchronous_mode"]).Value);
        Assert.Equal("true", ((YamlScalarNode)dcs["postgresql"]["use_pg_rewind"]).Value);
        foreach (var region in Regions)
        {
            // GhidraInsight waits out a failover: its write deadline exceeds ttl + loop_wait.
            var storage = Yaml($"deploy/postgres/ghidrainsight-{region}.yaml")["storage"];
            Assert.True(Int(storage["write_deadline_ms"]) > (ttl + loopWait) * 1000, region);
        }
    }

    [Fact]
    public void TheEtcdMembers_FormOneClusterOfEveryRegion_WithAnElectionTimeoutOfSeveralHeartbeats()
    {
        var members = Regions.ToDictionary(r => r, r => Yaml($"deploy/postgres/etcd-{r}.conf.yml"));
        var clusters = members.Values.Select(m => ((YamlScalarNode)m["initial-cluster"]).Value).Distinct().ToList();
        var cluster = Assert.Single(clusters)!.Split(',').Select(entry => entry.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);

        Assert.Equal(Regions.Order(StringComparer.Ordinal), cluster.Keys.Order(StringComparer.Ordinal));
        foreach (var (region, member) in members)
        {
            Assert.Equal(region, ((YamlScalarNode)member["name"]).Value);
            Assert.Equal(cluster[region], ((YamlScalarNode)member["initial-advertise-peer-urls"]).Value);
            var (heartbeat, election) = (Int(member["heartbeat-interval"]), Int(member["election-timeout"]));
            Assert.InRange(election, 5 * heartbeat, 50 * heartbeat);
            Assert.StartsWith("https://", ((YamlScalarNode)member["advertise-client-urls"]).Value, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(RegionNames))]
    public void EachRegionsSettings_LoadWithGhidraInsightsOwnLoader_AndFollowThatRegionsPatroni(string region)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // What the rest of the region's config.yaml (or its environment) holds.
            ["GHIDRA_REGION__ENDPOINTS"] = string.Join(',', Regions.Select((r, i) => $"{r}=http://127.0.0.1:{3101 + i}")),
            ["GHIDRA_REGION__SECRET"] = "a-region-secret-of-enough-length",
            ["GHIDRA_STORAGE__PASSWORD"] = "from-the-secret-store",
        };

        var options = ConfigLoader.Load(new ConfigSources(DeployFiles.FullPath($"deploy/postgres/ghidrainsight-{region}.yaml"), environment,
            new Dictionary<string, string>()));

        Assert.True(options.Storage.IsPostgres);
        Assert.Equal(region, options.Region.CurrentRegion);
        Assert.Contains($"db-{region}.internal.example", options.Storage.PatroniUrl, StringComparison.Ordinal);
        Assert.Equal($"db-{region}.internal.example:5432", options.Storage.ReadHost);
        Assert.All(Regions, r => Assert.Contains($"db-{r}.internal.example:5432", options.Storage.ConnectionString, StringComparison.Ordinal));
        Assert.Equal(ReplicationMode.Sync, options.Region.ReplicationMode);
        var env = EnvFile(region);
        Assert.Equal(region, env["PATRONI_NAME"]);
    }

    private static Dictionary<string, string> EnvFile(string region) =>
        DeployFiles.ReadAllText($"deploy/postgres/patroni-{region}.env").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(DeployFiles.ReadAllText(path));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static int Int(YamlNode node) => int.Parse(((YamlScalarNode)node).Value!, System.Globalization.CultureInfo.InvariantCulture);
}
