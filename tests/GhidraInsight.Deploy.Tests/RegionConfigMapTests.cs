using GhidraInsight.Configuration;
using GhidraInsight.Deploy.Tests.Support.Kubernetes;
using k8s.Models;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// The region's environment as each rendered overlay gives it (ghidrainsight-config, the Secret), loaded by the product's
/// own configuration loader: it validates, names the overlay's region, the guide's primary and the three regions, and every
/// key is one the product reads.
/// </summary>
public sealed class RegionConfigMapTests
{
    /// <summary>What an operator puts in place of the Secret's placeholders.</summary>
    private static readonly Dictionary<string, string> OperatorsSecrets = new(StringComparer.Ordinal)
    {
        ["GHIDRA_REGION__SECRET"] = "0123456789abcdef0123456789abcdef",
        ["GHIDRA_AUTH__API_KEYS"] = "admin:admin:an-admin-key-of-enough-length,prometheus:read:a-read-key-of-enough-length",
    };

    public static TheoryData<string> Overlays => new(RenderedOverlay.All);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void TheRegionsEnvironment_LoadsWithTheProductsLoader_AsThatRegion(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);

        var options = ConfigLoader.Load(new ConfigSources(null, RegionEnvironment(rendered, OperatorsSecrets), new Dictionary<string, string>()));

        Assert.True(options.Region.Enabled);
        Assert.Equal(rendered.Region, options.Region.CurrentRegion);
        Assert.Equal("us-east-1", options.Region.PrimaryRegion);
        Assert.Equal(RenderedOverlay.Regions, options.Region.Regions);
        Assert.Equal(RenderedOverlay.Regions.Order(StringComparer.Ordinal), options.Region.Endpoints.Keys.Order(StringComparer.Ordinal));
        Assert.True(options.Region.ReplicationEnabled);
        Assert.Equal("0.0.0.0", options.Server.Host);
        Assert.True(options.Server.UsesTls && options.Region.UsesMutualTls, "beyond loopback the region serves HTTPS, and mutual TLS between regions");
        Assert.Equal(rendered.IsPostgres, options.Storage.IsPostgres);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryKeyOfTheConfigMapAndTheSecret_IsAVariableTheProductReads(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var keys = rendered.Get<V1ConfigMap>("ghidrainsight-config").Data.Keys.Concat(RenderedOverlay.SecretData(rendered.Get<V1Secret>("ghidrainsight-secrets")).Keys);

        Assert.Empty(ProductVariables.NotRead(keys));
    }

    [Fact]
    public void AMisspelledSeedName_IsCaught_ThoughTheLoaderWouldIgnoreIt()
    {
        var environment = RegionEnvironment(RenderedOverlay.Of("eu-west-1"), OperatorsSecrets);
        environment["GHIDRA_REGION_CURRNET"] = environment["GHIDRA_REGION_CURRENT"];
        environment.Remove("GHIDRA_REGION_CURRENT");

        Assert.Equal(["GHIDRA_REGION_CURRNET"], ProductVariables.NotRead(environment.Keys));
        // The loader takes it for a variable of Ghidra's own: the region would start as the wrong one, or not at all.
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(new ConfigSources(null, environment, new Dictionary<string, string>())));
        Assert.Contains("region.current_region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSecretsPlaceholders_StopTheRegionAtStart_SoAForgottenOneNeverRuns()
    {
        var environment = RegionEnvironment(RenderedOverlay.Of("us-east-1"), new Dictionary<string, string>());

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(new ConfigSources(null, environment, new Dictionary<string, string>())));

        Assert.Contains("GHIDRA_REGION__SECRET", error.Message, StringComparison.Ordinal);
        Assert.Contains("GHIDRA_AUTH__API_KEYS", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The region container's environment, with <paramref name="secrets"/> in place of the Secret's values.</summary>
    private static Dictionary<string, string> RegionEnvironment(RenderedOverlay rendered, IReadOnlyDictionary<string, string> secrets)
    {
        var container = rendered.Get<V1StatefulSet>("ghidrainsight").Spec.Template.Spec.Containers.Single(c => c.Name == "ghidrainsight");
        var environment = rendered.EnvironmentOf(container);
        foreach (var (name, value) in secrets)
        {
            environment[name] = value;
        }
        return environment;
    }
}
