namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>Property names of a Traffic Manager profile (API version 2022-04-01), from Azure's published resource-manager schema.</summary>
internal static class TrafficManagerSchema
{
    public static readonly IReadOnlySet<string> Resource = Set("type", "apiVersion", "name", "location", "tags", "properties", "comments", "dependsOn", "condition");

    public static readonly IReadOnlySet<string> Profile = Set(
        "allowedEndpointRecordTypes", "dnsConfig", "endpoints", "maxReturn", "monitorConfig", "profileStatus", "trafficRoutingMethod", "trafficViewEnrollmentStatus");

    public static readonly IReadOnlySet<string> DnsConfig = Set("relativeName", "ttl");

    public static readonly IReadOnlySet<string> MonitorConfig = Set(
        "customHeaders", "expectedStatusCodeRanges", "intervalInSeconds", "path", "port", "profileMonitorStatus", "protocol", "timeoutInSeconds",
        "toleratedNumberOfFailures");

    public static readonly IReadOnlySet<string> Endpoint = Set("id", "name", "type", "properties");

    public static readonly IReadOnlySet<string> EndpointProperties = Set(
        "alwaysServe", "customHeaders", "endpointLocation", "endpointMonitorStatus", "endpointStatus", "geoMapping", "minChildEndpoints", "minChildEndpointsIPv4",
        "minChildEndpointsIPv6", "priority", "subnets", "target", "targetResourceId", "weight");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
