namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>
/// The resource types the AWS files may use, with property and attribute names taken from the CloudFormation resource
/// schemas (the registry schemas cfn-lint ships): a misspelt property or attribute is caught here, not at deploy time.
/// </summary>
internal static class CloudFormationTypes
{
    /// <summary>Pseudo parameters CloudFormation defines in every template.</summary>
    public static readonly IReadOnlySet<string> PseudoParameters = Set(
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    /// <summary>Parameter types these templates may declare.</summary>
    public static readonly IReadOnlySet<string> ParameterTypes = Set(
        "String", "Number", "List<Number>", "CommaDelimitedList", "AWS::EC2::VPC::Id", "AWS::EC2::Subnet::Id", "List<AWS::EC2::Subnet::Id>",
        "AWS::EC2::SecurityGroup::Id", "List<AWS::EC2::SecurityGroup::Id>", "AWS::Route53::HostedZone::Id");

    /// <summary>Top-level sections of a template.</summary>
    public static readonly IReadOnlySet<string> Sections = Set(
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs");

    public static readonly IReadOnlyDictionary<string, CloudFormationType> ByName = new[]
    {
        new CloudFormationType(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Set("EnablePrefixForIpv6SourceNat", "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "IpAddressType", "LoadBalancerAttributes", "Name",
                "Scheme", "SecurityGroups", "SubnetMappings", "Subnets", "Tags", "Type"),
            Set(),
            Set("CanonicalHostedZoneID", "DNSName", "LoadBalancerArn", "LoadBalancerFullName", "LoadBalancerName")),
        new CloudFormationType(
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            Set("HealthCheckEnabled", "HealthCheckIntervalSeconds", "HealthCheckPath", "HealthCheckPort", "HealthCheckProtocol", "HealthCheckTimeoutSeconds",
                "HealthyThresholdCount", "IpAddressType", "Matcher", "Name", "Port", "Protocol", "ProtocolVersion", "Tags", "TargetGroupAttributes", "TargetType",
                "Targets", "UnhealthyThresholdCount", "VpcId"),
            Set(),
            Set("LoadBalancerArns", "TargetGroupArn", "TargetGroupFullName", "TargetGroupName")),
        new CloudFormationType(
            "AWS::ElasticLoadBalancingV2::Listener",
            Set("AlpnPolicy", "Certificates", "DefaultActions", "LoadBalancerArn", "MutualAuthentication", "Port", "Protocol", "SslPolicy"),
            Set("LoadBalancerArn", "DefaultActions"),
            Set("ListenerArn")),
        new CloudFormationType(
            "AWS::Route53::HealthCheck",
            Set("HealthCheckConfig", "HealthCheckTags"),
            Set("HealthCheckConfig"),
            Set("HealthCheckId")),
        new CloudFormationType(
            "AWS::Route53::RecordSet",
            Set("AliasTarget", "CidrRoutingConfig", "Comment", "Failover", "GeoLocation", "HealthCheckId", "HostedZoneId", "HostedZoneName", "MultiValueAnswer",
                "Name", "Region", "ResourceRecords", "SetIdentifier", "TTL", "Type", "Weight"),
            Set("Name", "Type"),
            Set()),
        new CloudFormationType(
            "AWS::GlobalAccelerator::Accelerator",
            Set("Enabled", "IpAddressType", "IpAddresses", "Name", "Tags"),
            Set("Name"),
            Set("AcceleratorArn", "DnsName", "DualStackDnsName", "Ipv4Addresses", "Ipv6Addresses")),
        new CloudFormationType(
            "AWS::GlobalAccelerator::Listener",
            Set("AcceleratorArn", "ClientAffinity", "PortRanges", "Protocol"),
            Set("AcceleratorArn", "PortRanges", "Protocol"),
            Set("ListenerArn")),
        new CloudFormationType(
            "AWS::GlobalAccelerator::EndpointGroup",
            Set("EndpointConfigurations", "EndpointGroupRegion", "HealthCheckIntervalSeconds", "HealthCheckPath", "HealthCheckPort", "HealthCheckProtocol",
                "ListenerArn", "PortOverrides", "ThresholdCount", "TrafficDialPercentage"),
            Set("ListenerArn", "EndpointGroupRegion"),
            Set("EndpointGroupArn")),
    }.ToDictionary(type => type.Name, StringComparer.Ordinal);

    /// <summary>Keys of a Route 53 health check's <c>HealthCheckConfig</c>.</summary>
    public static readonly IReadOnlySet<string> Route53HealthCheckConfig = Set(
        "AlarmIdentifier", "ChildHealthChecks", "EnableSNI", "FailureThreshold", "FullyQualifiedDomainName", "HealthThreshold", "IPAddress",
        "InsufficientDataHealthStatus", "Inverted", "MeasureLatency", "Port", "Regions", "RequestInterval", "ResourcePath", "RoutingControlArn", "SearchString", "Type");

    /// <summary>Keys of a record set's <c>AliasTarget</c>.</summary>
    public static readonly IReadOnlySet<string> AliasTarget = Set("DNSName", "EvaluateTargetHealth", "HostedZoneId");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
