using GhidraInsight.Configuration;
using GhidraInsight.Deploy.Tests.Support;
using GhidraInsight.Deploy.Tests.Support.Kubernetes;
using k8s.Models;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// deploy/kubernetes/overlays/REGION-postgres: deploy/postgres/ laid out in Kubernetes. The region's settings, Patroni's
/// environment and Patroni's configuration are those of deploy/postgres (which PostgresDeployTests checks against Patroni
/// itself), and the Patroni pod has a writable place for every path patroni.yml names.
/// </summary>
public sealed class PostgresOverlayTests
{
    public static TheoryData<string> Regions => new(RenderedOverlay.Regions);

    [Theory]
    [MemberData(nameof(Regions))]
    public void TheRegionsStorageSettings_AreThoseOfDeployPostgres(string region)
    {
        var rendered = RenderedOverlay.Of(region + "-postgres");
        var environment = rendered.EnvironmentOf(rendered.Get<V1StatefulSet>("ghidrainsight").Spec.Template.Spec.Containers[0]);
        // The Secret's placeholders replaced as an operator would; deploy/postgres's file gets the same secrets and endpoints.
        environment["GHIDRA_REGION__SECRET"] = "0123456789abcdef0123456789abcdef";
        environment["GHIDRA_AUTH__API_KEYS"] = "admin:admin:an-admin-key-of-enough-length";
        var rest = new[] { "GHIDRA_REGION__SECRET", "GHIDRA_STORAGE__PASSWORD", "GHIDRA_REGION__ENDPOINTS" }.ToDictionary(name => name, name => environment[name]);

        var kubernetes = ConfigLoader.Load(new ConfigSources(null, environment, new Dictionary<string, string>()));
        var reference = ConfigLoader.Load(new ConfigSources(DeployFiles.FullPath($"deploy/postgres/ghidrainsight-{region}.yaml"), rest, new Dictionary<string, string>()));

        Assert.Equal(
            (reference.Storage.Provider, reference.Storage.ConnectionString, reference.Storage.ReadHost, reference.Storage.PatroniUrl, reference.Storage.WriteDeadlineMs, reference.Region.ReplicationMode),
            (kubernetes.Storage.Provider, kubernetes.Storage.ConnectionString, kubernetes.Storage.ReadHost, kubernetes.Storage.PatroniUrl, kubernetes.Storage.WriteDeadlineMs, kubernetes.Region.ReplicationMode));
        Assert.Equal(reference.Storage.DataDir, kubernetes.Storage.DataDir);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void PatronisEnvironment_IsThatOfDeployPostgres(string region)
    {
        var rendered = RenderedOverlay.Of(region + "-postgres");
        var expected = DeployFiles.ReadAllText($"deploy/postgres/patroni-{region}.env").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#')).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

        Assert.Equal(expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), rendered.Get<V1ConfigMap>("patroni-env").Data.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void PatronisConfiguration_IsDeployPostgresPatroniYml_Unchanged()
    {
        var expected = DeployFiles.ReadAllText("deploy/postgres/patroni.yml");

        Assert.Equal(expected, DeployFiles.ReadAllText("deploy/kubernetes/components/postgres/patroni.yml"));
        Assert.Equal(expected, RenderedOverlay.Of("us-east-1-postgres").Get<V1ConfigMap>("patroni-config").Data["patroni.yml"]);
    }

    /// <summary>Paths patroni.yml (or the container's arguments) names: read from a mounted volume, or written to a writable one.</summary>
    [Theory]
    [InlineData("/etc/patroni-config/patroni.yml", false)]
    [InlineData("/etc/patroni/server.pem", false)]
    [InlineData("/etc/patroni/etcd-ca.pem", false)]
    [InlineData("/var/lib/postgresql/15/ghidrainsight", true)]
    [InlineData("/var/lib/postgresql/.pgpass-patroni", true)]
    [InlineData("/var/run/postgresql", true)]
    public void EveryPathPatroniUses_IsOnAVolume_WritableWhereItMustBe(string path, bool written)
    {
        var container = Assert.Single(RenderedOverlay.Of("eu-west-1-postgres").Get<V1StatefulSet>("ghidrainsight-postgres").Spec.Template.Spec.Containers);
        var named = container.Args.Contains(path) || DeployFiles.ReadAllText("deploy/postgres/patroni.yml").Contains(path, StringComparison.Ordinal);

        var mount = container.VolumeMounts.Where(m => path == m.MountPath || path.StartsWith(m.MountPath + "/", StringComparison.Ordinal)).MaxBy(m => m.MountPath.Length);

        Assert.True(named, $"neither patroni.yml nor the container's arguments name {path}");
        Assert.True(mount is not null, $"{path} is on the read-only root file system");
        Assert.Equal(written, mount.ReadOnlyProperty != true);
    }
}
