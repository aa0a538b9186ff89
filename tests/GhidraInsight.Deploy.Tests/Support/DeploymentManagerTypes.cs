namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>
/// The Compute Engine v1 types the Google Cloud config may use and the request fields each accepts (from the Compute API reference),
/// so a misspelt field fails here rather than in <c>gcloud deployment-manager</c>.
/// </summary>
internal static class DeploymentManagerTypes
{
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Properties = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["compute.v1.healthCheck"] = Set(
            "name", "description", "type", "checkIntervalSec", "timeoutSec", "healthyThreshold", "unhealthyThreshold", "httpHealthCheck", "httpsHealthCheck",
            "http2HealthCheck", "tcpHealthCheck", "sslHealthCheck", "grpcHealthCheck", "logConfig", "sourceRegions"),
        ["compute.v1.firewall"] = Set(
            "name", "description", "network", "priority", "direction", "sourceRanges", "destinationRanges", "sourceTags", "targetTags", "sourceServiceAccounts",
            "targetServiceAccounts", "allowed", "denied", "logConfig", "disabled"),
        ["compute.v1.backendService"] = Set(
            "name", "description", "backends", "healthChecks", "timeoutSec", "port", "protocol", "portName", "enableCDN", "sessionAffinity",
            "affinityCookieTtlSec", "loadBalancingScheme", "connectionDraining", "localityLbPolicy", "logConfig", "securityPolicy", "customRequestHeaders",
            "customResponseHeaders", "iap", "cdnPolicy", "outlierDetection", "circuitBreakers", "consistentHash", "compressionMode"),
        ["compute.v1.urlMap"] = Set("name", "description", "defaultService", "hostRules", "pathMatchers", "tests", "defaultRouteAction", "defaultUrlRedirect", "headerAction"),
        ["compute.v1.targetHttpProxy"] = Set("name", "description", "urlMap", "proxyBind", "httpKeepAliveTimeoutSec"),
        ["compute.v1.targetHttpsProxy"] = Set("name", "description", "urlMap", "sslCertificates", "sslPolicy", "quicOverride", "certificateMap", "httpKeepAliveTimeoutSec"),
        ["compute.v1.sslCertificate"] = Set("name", "description", "type", "managed", "certificate", "privateKey"),
        ["compute.v1.globalAddress"] = Set("name", "description", "address", "addressType", "ipVersion", "prefixLength", "purpose", "network", "labels"),
        ["compute.v1.globalForwardingRule"] = Set(
            "name", "description", "IPAddress", "IPProtocol", "portRange", "ports", "target", "loadBalancingScheme", "networkTier", "ipVersion", "labels",
            "metadataFilters", "network"),
    };

    /// <summary>Fields of <c>httpHealthCheck</c>.</summary>
    public static readonly IReadOnlySet<string> HttpHealthCheck = Set("port", "portName", "portSpecification", "host", "requestPath", "proxyHeader", "response");

    /// <summary>Fields of one entry of a backend service's <c>backends</c>.</summary>
    public static readonly IReadOnlySet<string> Backend = Set(
        "description", "group", "balancingMode", "maxUtilization", "maxRate", "maxRatePerInstance", "maxRatePerEndpoint", "maxConnections",
        "maxConnectionsPerInstance", "maxConnectionsPerEndpoint", "capacityScaler", "failover", "preference");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
