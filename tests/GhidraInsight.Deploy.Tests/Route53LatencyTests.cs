using GhidraInsight.Deploy.Tests.Support;

namespace GhidraInsight.Deploy.Tests;

/// <summary>deploy/cloud/aws/route53-latency.yaml: one latency record per region, each aliasing and health-checking that region's NLB.</summary>
public sealed class Route53LatencyTests
{
    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(DeployFiles.Route53Latency);

    [Fact]
    public void Route53_HasOneLatencyRecordPerRegionUnderOneName()
    {
        var records = _template.OfType("AWS::Route53::RecordSet").Select(record => record.Properties).ToList();

        Assert.Equal(DeployFiles.Regions.Count, records.Count);
        // Latency routing is what the Region property selects; SetIdentifier tells the records apart.
        Assert.Equal(DeployFiles.Regions.Order(StringComparer.Ordinal), records.Select(record => _template.Resolve(record.Child("Region"))).Order(StringComparer.Ordinal));
        Assert.Equal(records.Count, records.Select(record => _template.Resolve(record.Child("SetIdentifier"))).OfType<string>().Distinct(StringComparer.Ordinal).Count());
        Assert.Single(records.Select(record => CloudFormationTemplate.RefTarget(record.Child("Name"))).Distinct(StringComparer.Ordinal));
        Assert.Single(records.Select(record => CloudFormationTemplate.RefTarget(record.Child("HostedZoneId"))).Distinct(StringComparer.Ordinal));
        Assert.All(records, record =>
        {
            Assert.Equal("A", record.PlainScalar("Type"));
            Assert.Null(record.Child("Weight"));
            Assert.Null(record.Child("Failover"));
            Assert.Null(record.Child("GeoLocation"));
        });
    }

    [Fact]
    public void Route53_EachRecordAliasesItsOwnRegionsNlbAndIsGuardedByACheckOfThatNlb()
    {
        var records = _template.OfType("AWS::Route53::RecordSet").Select(record => record.Properties).ToList();
        var aliasedNames = new List<string?>();
        var aliasedZones = new List<string?>();

        foreach (var record in records)
        {
            var alias = Assert.IsType<YamlDotNet.RepresentationModel.YamlMappingNode>(record.Child("AliasTarget"));
            Assert.All(alias.Entries(), entry => Assert.Contains(entry.Key, CloudFormationTypes.AliasTarget));
            Assert.Equal("true", alias.PlainScalar("EvaluateTargetHealth"));
            var dnsName = CloudFormationTemplate.RefTarget(alias.Child("DNSName"));
            Assert.True(dnsName is not null && _template.Parameters.ContainsKey(dnsName), "AliasTarget.DNSName must be a parameter (the region's NLB DNS name)");
            aliasedNames.Add(dnsName);
            aliasedZones.Add(CloudFormationTemplate.RefTarget(alias.Child("HostedZoneId")));

            var checkId = CloudFormationTemplate.RefTarget(record.Child("HealthCheckId"));
            Assert.True(checkId is not null && _template.Resources.ContainsKey(checkId), "HealthCheckId must reference a health check of this template");
            var check = _template.Resources[checkId];
            Assert.Equal("AWS::Route53::HealthCheck", check.Type);
            // The check must probe the very NLB the record points at, not a neighbour's.
            Assert.Equal(dnsName, CloudFormationTemplate.RefTarget(check.Properties.ChildMapping("HealthCheckConfig")?.Child("FullyQualifiedDomainName")));
        }

        Assert.Equal(records.Count, aliasedNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(records.Count, aliasedZones.OfType<string>().Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Route53_HealthChecksProbeHealthOverHttpOnPort3000()
    {
        var checks = _template.OfType("AWS::Route53::HealthCheck");

        Assert.Equal(DeployFiles.Regions.Count, checks.Count);
        Assert.All(checks, check =>
        {
            var config = Assert.IsType<YamlDotNet.RepresentationModel.YamlMappingNode>(check.Properties.Child("HealthCheckConfig"));
            Assert.All(config.Entries(), entry => Assert.Contains(entry.Key, CloudFormationTypes.Route53HealthCheckConfig));
            Assert.Equal("HTTP", _template.Resolve(config.Child("Type")));
            Assert.Equal("3000", _template.Resolve(config.Child("Port")));
            Assert.Equal("/health", _template.Resolve(config.Child("ResourcePath")));
            Assert.Contains(_template.ResolveNumber(config.Child("RequestInterval")), new[] { 10, 30 });
            Assert.InRange(_template.ResolveNumber(config.Child("FailureThreshold")), 1, 10);
        });
    }
}
