using System.Text.RegularExpressions;
using GhidraInsight.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests;

/// <summary>deploy/cloud/gcp/global-lb.yaml: health check, backend service, URL map, proxy and forwarding rule of a global external Application Load Balancer.</summary>
public sealed partial class GcpGlobalLoadBalancerTests
{
    /// <summary>Fields of a created resource that <c>$(ref.NAME.FIELD)</c> may read here.</summary>
    private static readonly HashSet<string> Fields = new(["selfLink", "name", "id", "address"], StringComparer.Ordinal);

    private readonly DeploymentManagerConfig _config = DeploymentManagerConfig.Load(DeployFiles.GcpGlobalLoadBalancer);

    [Fact]
    public void DeploymentManager_EveryResourceHasAKnownComputeTypeAndKnownProperties()
    {
        var problems = new List<string>();

        foreach (var resource in _config.Resources)
        {
            if (!DeploymentManagerTypes.Properties.TryGetValue(resource.Type, out var known))
            {
                problems.Add($"{resource.Name}: type '{resource.Type}' is not one of {string.Join(", ", DeploymentManagerTypes.Properties.Keys)}");
                continue;
            }
            if (!resource.HasProperties)
            {
                problems.Add($"{resource.Name}: no properties");
            }
            problems.AddRange(resource.Properties.Entries().Select(entry => entry.Key).Where(key => !known.Contains(key))
                .Select(key => $"{resource.Name}: {resource.Type} has no field {key}"));
        }
        problems.AddRange(_config.Resources.GroupBy(resource => resource.Name, StringComparer.Ordinal).Where(group => group.Count() > 1 || !ResourceName().IsMatch(group.Key))
            .Select(group => $"resource name '{group.Key}' is repeated or not a valid Compute Engine name"));

        Assert.NotEmpty(_config.Resources);
        Assert.Empty(problems);
    }

    [Fact]
    public void DeploymentManager_EveryRefNamesAResourceInTheFile()
    {
        var names = _config.Resources.Select(resource => resource.Name).ToHashSet(StringComparer.Ordinal);
        var references = _config.References().ToList();

        Assert.NotEmpty(references);
        Assert.Empty(references.Where(reference => !names.Contains(reference.Name) || !Fields.Contains(reference.Field))
            .Select(reference => $"$(ref.{reference.Name}.{reference.Field}) at {reference.Location}: no such resource or field"));
    }

    [Fact]
    public void DeploymentManager_HealthCheckProbesHealthOverHttpOnPort3000()
    {
        var check = Assert.Single(_config.OfType("compute.v1.healthCheck")).Properties;
        var http = Assert.IsType<YamlMappingNode>(check.Child("httpHealthCheck"));

        Assert.Equal("HTTP", check.PlainScalar("type"));
        Assert.All(http.Entries(), entry => Assert.Contains(entry.Key, DeploymentManagerTypes.HttpHealthCheck));
        Assert.Equal("3000", http.PlainScalar("port"));
        Assert.Equal("/health", http.PlainScalar("requestPath"));
        Assert.InRange(Number(check, "timeoutSec"), 1, Number(check, "checkIntervalSec"));
        Assert.InRange(Number(check, "healthyThreshold"), 1, 10);
        Assert.InRange(Number(check, "unhealthyThreshold"), 1, 10);
    }

    [Fact]
    public void DeploymentManager_BackendServiceServesEachRegionFromItsOwnGcpRegion()
    {
        var service = Assert.Single(_config.OfType("compute.v1.backendService")).Properties;
        var check = Assert.Single(_config.OfType("compute.v1.healthCheck")).Name;
        var regionsByGcpRegion = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        Assert.Equal("EXTERNAL_MANAGED", service.PlainScalar("loadBalancingScheme"));
        Assert.Equal("HTTP", service.PlainScalar("protocol"));
        Assert.False(string.IsNullOrEmpty(service.PlainScalar("portName")));
        Assert.Equal(check, DeploymentManagerConfig.SelfLinkTarget(Assert.Single(service.ChildSequence("healthChecks")?.Children ?? [])));
        foreach (var backend in (service.ChildSequence("backends")?.Children ?? []).Cast<YamlMappingNode>())
        {
            Assert.All(backend.Entries(), entry => Assert.Contains(entry.Key, DeploymentManagerTypes.Backend));
            var region = GhidraRegion().Match(backend.PlainScalar("description") ?? "");
            var group = GroupUrl().Match(backend.PlainScalar("group") ?? "");
            Assert.True(region.Success, $"backend '{backend.PlainScalar("description")}' does not name its GhidraInsight region");
            Assert.True(group.Success, $"backend group '{backend.PlainScalar("group")}' is not a zonal NEG or instance group URL");
            Assert.Equal("RATE", backend.PlainScalar("balancingMode"));
            Assert.NotNull(backend.PlainScalar("maxRatePerEndpoint") ?? backend.PlainScalar("maxRatePerInstance"));
            var zone = group.Groups[1].Value;
            var gcpRegion = zone[..zone.LastIndexOf('-')];
            regionsByGcpRegion.TryAdd(gcpRegion, new HashSet<string>(StringComparer.Ordinal));
            regionsByGcpRegion[gcpRegion].Add(region.Groups[1].Value);
        }

        // Every GhidraInsight region has backends, all in one GCP region of its own.
        Assert.Equal(DeployFiles.Regions.Order(StringComparer.Ordinal), regionsByGcpRegion.Values.SelectMany(regions => regions).Order(StringComparer.Ordinal));
        Assert.Equal(DeployFiles.Regions.Count, regionsByGcpRegion.Count);
    }

    [Fact]
    public void DeploymentManager_ForwardingRuleOnPort3000ReachesTheBackendServiceThroughProxyAndUrlMap()
    {
        var rule = Assert.Single(_config.OfType("compute.v1.globalForwardingRule")).Properties;
        var service = Assert.Single(_config.OfType("compute.v1.backendService"));

        Assert.Equal("EXTERNAL_MANAGED", rule.PlainScalar("loadBalancingScheme"));
        Assert.Equal("TCP", rule.PlainScalar("IPProtocol"));
        Assert.Contains(rule.PlainScalar("portRange"), new[] { "3000", "3000-3000" });
        var proxy = _config.Named(DeploymentManagerConfig.SelfLinkTarget(rule.Child("target")) ?? "(target is not a $(ref.NAME.selfLink))");
        Assert.Contains(proxy.Type, new[] { "compute.v1.targetHttpProxy", "compute.v1.targetHttpsProxy" });
        var urlMap = _config.Named(DeploymentManagerConfig.SelfLinkTarget(proxy.Properties.Child("urlMap")) ?? "(urlMap is not a $(ref.NAME.selfLink))");
        Assert.Equal("compute.v1.urlMap", urlMap.Type);
        Assert.Equal(service.Name, DeploymentManagerConfig.SelfLinkTarget(urlMap.Properties.Child("defaultService")));
    }

    private static int Number(YamlMappingNode mapping, string key) =>
        int.Parse(mapping.PlainScalar(key) ?? "-1", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"GhidraInsight region ([a-z]+-[a-z]+-[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex GhidraRegion();

    [GeneratedRegex(@"^https://www\.googleapis\.com/compute/v1/projects/[^/]+/zones/([a-z]+-[a-z0-9]+-[a-z])/(networkEndpointGroups|instanceGroups)/[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupUrl();

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceName();
}
