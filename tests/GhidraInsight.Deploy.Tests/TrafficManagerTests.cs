using System.Text.Json;
using GhidraInsight.Deploy.Tests.Support;

namespace GhidraInsight.Deploy.Tests;

/// <summary>deploy/cloud/azure/traffic-manager.json: a Performance-routed profile probing /health on port 3000 of one external endpoint per region.</summary>
public sealed class TrafficManagerTests : IDisposable
{
    private const string ProfileType = "Microsoft.Network/trafficmanagerprofiles";

    private readonly ArmTemplate _template = ArmTemplate.Load(DeployFiles.TrafficManager);

    public void Dispose() => _template.Dispose();

    [Fact]
    public void TrafficManager_DescribesItselfAndEveryParameter()
    {
        Assert.StartsWith("https://schema.management.azure.com/schemas/", _template.Root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        Assert.Equal("1.0.0.0", _template.Root.GetProperty("contentVersion").GetString());
        Assert.False(string.IsNullOrWhiteSpace(_template.Root.GetProperty("metadata").GetProperty("description").GetString()));
        Assert.All(_template.Parameters, parameter =>
        {
            Assert.Contains(parameter.Value.GetProperty("type").GetString(), new[] { "string", "int", "bool" });
            Assert.False(string.IsNullOrWhiteSpace(parameter.Value.GetProperty("metadata").GetProperty("description").GetString()), parameter.Key);
        });
    }

    [Fact]
    public void TrafficManager_EveryParameterReferenceNamesADeclaredParameterAndEveryParameterIsUsed()
    {
        var references = _template.ParameterReferences().ToList();

        Assert.NotEmpty(references);
        Assert.Empty(references.Where(reference => !_template.Parameters.ContainsKey(reference.Name))
            .Select(reference => $"parameters('{reference.Name}') at {reference.Location}: no such parameter"));
        Assert.DoesNotContain(_template.Parameters.Keys, name => references.TrueForAll(reference => reference.Name != name));
    }

    [Fact]
    public void TrafficManager_UsesOnlyPropertiesTrafficManagerKnows()
    {
        var profile = Profile();
        var properties = profile.GetProperty("properties");
        var problems = new List<string>();

        problems.AddRange(Unknown(profile, TrafficManagerSchema.Resource, "profile"));
        problems.AddRange(Unknown(properties, TrafficManagerSchema.Profile, "properties"));
        problems.AddRange(Unknown(properties.GetProperty("dnsConfig"), TrafficManagerSchema.DnsConfig, "dnsConfig"));
        problems.AddRange(Unknown(properties.GetProperty("monitorConfig"), TrafficManagerSchema.MonitorConfig, "monitorConfig"));
        foreach (var endpoint in properties.GetProperty("endpoints").EnumerateArray())
        {
            problems.AddRange(Unknown(endpoint, TrafficManagerSchema.Endpoint, "endpoint"));
            problems.AddRange(Unknown(endpoint.GetProperty("properties"), TrafficManagerSchema.EndpointProperties, "endpoint properties"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void TrafficManager_RoutesByPerformanceFromOneGlobalProfile()
    {
        var profile = Profile();

        Assert.Equal("global", profile.GetProperty("location").GetString());
        Assert.Equal("Enabled", profile.GetProperty("properties").GetProperty("profileStatus").GetString());
        Assert.Equal("Performance", profile.GetProperty("properties").GetProperty("trafficRoutingMethod").GetString());
    }

    [Fact]
    public void TrafficManager_MonitorsEveryEndpointOnHealthPort3000()
    {
        var monitor = Profile().GetProperty("properties").GetProperty("monitorConfig");

        Assert.Equal("HTTP", _template.Resolve(monitor.GetProperty("protocol")));
        Assert.Equal("3000", _template.Resolve(monitor.GetProperty("port")));
        Assert.Equal("/health", _template.Resolve(monitor.GetProperty("path")));
        // 200 means healthy or degraded; the 503 of an unhealthy region must fall outside every expected range.
        var ranges = monitor.GetProperty("expectedStatusCodeRanges").EnumerateArray().Select(range => (range.GetProperty("min").GetInt32(), range.GetProperty("max").GetInt32())).ToList();
        Assert.Contains(ranges, range => range.Item1 <= 200 && 200 <= range.Item2);
        Assert.DoesNotContain(ranges, range => range.Item1 <= 503 && 503 <= range.Item2);
        // Traffic Manager probes every 10 or 30 s, with a timeout of 5-9 s (10 s) and 0-9 tolerated failures: every allowed value must fit.
        var intervals = Allowed(monitor.GetProperty("intervalInSeconds"));
        var timeouts = Allowed(monitor.GetProperty("timeoutInSeconds"));
        Assert.All(intervals, interval => Assert.Contains(interval, new[] { 10, 30 }));
        Assert.All(timeouts, timeout => Assert.InRange(timeout, 5, intervals.Contains(10) ? 9 : 10));
        Assert.All(Allowed(monitor.GetProperty("toleratedNumberOfFailures")), failures => Assert.InRange(failures, 0, 9));
    }

    [Fact]
    public void TrafficManager_HasOneExternalEndpointPerRegionWithItsOwnTargetAndLocation()
    {
        var endpoints = Profile().GetProperty("properties").GetProperty("endpoints").EnumerateArray().ToList();

        Assert.Equal(DeployFiles.Regions.Order(StringComparer.Ordinal), endpoints.Select(endpoint => _template.Resolve(endpoint.GetProperty("name"))).Order(StringComparer.Ordinal));
        Assert.All(endpoints, endpoint =>
        {
            Assert.Equal("Microsoft.Network/trafficManagerProfiles/externalEndpoints", endpoint.GetProperty("type").GetString(), ignoreCase: true);
            Assert.Equal("Enabled", endpoint.GetProperty("properties").GetProperty("endpointStatus").GetString());
            // The target is each region's own DNS name: a parameter the operator must set (no default).
            var target = ArmTemplate.ParameterName(endpoint.GetProperty("properties").GetProperty("target"));
            Assert.True(target is not null && !_template.Parameters[target].TryGetProperty("defaultValue", out _), "endpoint target must be a parameter without a default");
            Assert.False(string.IsNullOrEmpty(_template.Resolve(endpoint.GetProperty("properties").GetProperty("endpointLocation"))));
        });
        Assert.Equal(endpoints.Count, endpoints.Select(endpoint => endpoint.GetProperty("properties").GetProperty("target").GetString()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(endpoints.Count, endpoints.Select(endpoint => _template.Resolve(endpoint.GetProperty("properties").GetProperty("endpointLocation"))).Distinct(StringComparer.Ordinal).Count());
    }

    private static IEnumerable<string> Unknown(JsonElement element, IReadOnlySet<string> known, string where) =>
        element.EnumerateObject().Where(property => !known.Contains(property.Name)).Select(property => $"{where}: unknown property {property.Name}");

    private JsonElement Profile() =>
        Assert.Single(_template.Root.GetProperty("resources").EnumerateArray(), resource => string.Equals(resource.GetProperty("type").GetString(), ProfileType, StringComparison.OrdinalIgnoreCase));

    /// <summary>The values a setting can take: a literal, or every value its parameter allows (allowedValues, else minValue..maxValue, else the default).</summary>
    private List<int> Allowed(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return [value.GetInt32()];
        }
        var parameter = _template.Parameters[ArmTemplate.ParameterName(value) ?? throw new InvalidOperationException($"{value} is neither a number nor [parameters('…')]")];
        if (parameter.TryGetProperty("allowedValues", out var allowed))
        {
            return allowed.EnumerateArray().Select(item => item.GetInt32()).ToList();
        }
        if (parameter.TryGetProperty("minValue", out var min) && parameter.TryGetProperty("maxValue", out var max))
        {
            return Enumerable.Range(min.GetInt32(), max.GetInt32() - min.GetInt32() + 1).ToList();
        }
        return [parameter.GetProperty("defaultValue").GetInt32()];
    }
}
