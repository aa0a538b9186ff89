using GhidraInsight.Deploy.Tests.Support;

namespace GhidraInsight.Deploy.Tests;

/// <summary>deploy/cloud/aws/region-nlb.yaml: one region's NLB, listening and health-checking where GhidraInsight serves.</summary>
public sealed class RegionNlbTests
{
    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(DeployFiles.RegionNlb);

    [Fact]
    public void RegionNlb_TargetGroupChecksHealthOverHttpOnPort3000()
    {
        var group = Assert.Single(_template.OfType("AWS::ElasticLoadBalancingV2::TargetGroup")).Properties;

        Assert.Equal("TCP", _template.Resolve(group.Child("Protocol")));
        Assert.Equal("3000", _template.Resolve(group.Child("Port")));
        Assert.Equal("HTTP", _template.Resolve(group.Child("HealthCheckProtocol")));
        Assert.Equal("3000", _template.Resolve(group.Child("HealthCheckPort")));
        Assert.Equal("/health", _template.Resolve(group.Child("HealthCheckPath")));
        // 200 is healthy or degraded; the 503 of an unhealthy region must not count.
        Assert.Equal("200", _template.Resolve(group.ChildMapping("Matcher")?.Child("HttpCode")));
        var interval = _template.ResolveNumber(group.Child("HealthCheckIntervalSeconds"));
        var timeout = _template.ResolveNumber(group.Child("HealthCheckTimeoutSeconds"));
        Assert.InRange(interval, 5, 300);
        Assert.InRange(timeout, 2, interval - 1);
        Assert.InRange(_template.ResolveNumber(group.Child("HealthyThresholdCount")), 2, 10);
        Assert.InRange(_template.ResolveNumber(group.Child("UnhealthyThresholdCount")), 2, 10);
    }

    [Fact]
    public void RegionNlb_ListenerForwardsTcp3000FromTheNetworkLoadBalancerToTheTargetGroup()
    {
        var balancer = Assert.Single(_template.OfType("AWS::ElasticLoadBalancingV2::LoadBalancer"));
        var group = Assert.Single(_template.OfType("AWS::ElasticLoadBalancingV2::TargetGroup"));
        var listener = Assert.Single(_template.OfType("AWS::ElasticLoadBalancingV2::Listener")).Properties;

        Assert.Equal("network", _template.Resolve(balancer.Properties.Child("Type")));
        Assert.Equal(balancer.LogicalId, CloudFormationTemplate.RefTarget(listener.Child("LoadBalancerArn")));
        Assert.Equal("TCP", _template.Resolve(listener.Child("Protocol")));
        Assert.Equal("3000", _template.Resolve(listener.Child("Port")));
        var action = Assert.IsType<YamlDotNet.RepresentationModel.YamlMappingNode>(Assert.Single(listener.ChildSequence("DefaultActions")?.Children ?? []));
        Assert.Equal("forward", action.PlainScalar("Type"));
        Assert.Equal(group.LogicalId, CloudFormationTemplate.RefTarget(action.Child("TargetGroupArn")));
    }

    [Fact]
    public void RegionNlb_OutputsTheDnsNameArnAndHostedZoneTheGlobalTemplatesAskFor()
    {
        var balancer = Assert.Single(_template.OfType("AWS::ElasticLoadBalancingV2::LoadBalancer")).LogicalId;

        Assert.Equal(balancer, CloudFormationTemplate.RefTarget(_template.Outputs["LoadBalancerArn"].Child("Value")));
        Assert.Equal(
            new CloudFormationReference(CloudFormationReference.GetAtt, balancer, "DNSName", "v"),
            Assert.Single(CloudFormationReferences.In(_template.Outputs["LoadBalancerDnsName"].Child("Value")!, "v")));
        Assert.Equal(
            new CloudFormationReference(CloudFormationReference.GetAtt, balancer, "CanonicalHostedZoneID", "v"),
            Assert.Single(CloudFormationReferences.In(_template.Outputs["CanonicalHostedZoneId"].Child("Value")!, "v")));
    }
}
