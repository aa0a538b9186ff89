using GhidraInsight.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests;

/// <summary>deploy/cloud/aws/global-accelerator.yaml: a TCP 3000 listener with one health-checked endpoint group per region.</summary>
public sealed class GlobalAcceleratorTests
{
    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(DeployFiles.GlobalAccelerator);

    [Fact]
    public void GlobalAccelerator_ListensOnTcp3000Only()
    {
        var accelerator = Assert.Single(_template.OfType("AWS::GlobalAccelerator::Accelerator")).LogicalId;
        var listener = Assert.Single(_template.OfType("AWS::GlobalAccelerator::Listener")).Properties;

        Assert.Equal(
            new CloudFormationReference(CloudFormationReference.GetAtt, accelerator, "AcceleratorArn", "v"),
            Assert.Single(CloudFormationReferences.In(listener.Child("AcceleratorArn")!, "v")));
        Assert.Equal("TCP", _template.Resolve(listener.Child("Protocol")));
        var range = Assert.IsType<YamlMappingNode>(Assert.Single(listener.ChildSequence("PortRanges")?.Children ?? []));
        Assert.Equal("3000", _template.Resolve(range.Child("FromPort")));
        Assert.Equal("3000", _template.Resolve(range.Child("ToPort")));
    }

    [Fact]
    public void GlobalAccelerator_HasOneEndpointGroupPerRegionCheckingHealthOnPort3000()
    {
        var listener = Assert.Single(_template.OfType("AWS::GlobalAccelerator::Listener")).LogicalId;
        var groups = _template.OfType("AWS::GlobalAccelerator::EndpointGroup").Select(group => group.Properties).ToList();
        var endpoints = new List<string?>();

        foreach (var group in groups)
        {
            Assert.Equal(
                new CloudFormationReference(CloudFormationReference.GetAtt, listener, "ListenerArn", "v"),
                Assert.Single(CloudFormationReferences.In(group.Child("ListenerArn")!, "v")));
            Assert.Equal("HTTP", _template.Resolve(group.Child("HealthCheckProtocol")));
            Assert.Equal("3000", _template.Resolve(group.Child("HealthCheckPort")));
            Assert.Equal("/health", _template.Resolve(group.Child("HealthCheckPath")));
            Assert.Contains(_template.ResolveNumber(group.Child("HealthCheckIntervalSeconds")), new[] { 10, 30 });
            Assert.InRange(_template.ResolveNumber(group.Child("ThresholdCount")), 1, 10);
            var endpoint = Assert.IsType<YamlMappingNode>(Assert.Single(group.ChildSequence("EndpointConfigurations")?.Children ?? []));
            var nlb = CloudFormationTemplate.RefTarget(endpoint.Child("EndpointId"));
            Assert.True(nlb is not null && _template.Parameters.ContainsKey(nlb), "EndpointId must be a parameter (the region's NLB ARN)");
            endpoints.Add(nlb);
        }

        Assert.Equal(DeployFiles.Regions.Order(StringComparer.Ordinal), groups.Select(group => _template.Resolve(group.Child("EndpointGroupRegion"))).Order(StringComparer.Ordinal));
        Assert.Equal(groups.Count, endpoints.Distinct(StringComparer.Ordinal).Count());
    }
}
