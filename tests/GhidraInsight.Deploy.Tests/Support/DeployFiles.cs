namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>
/// Where the cloud load-balancer files live: found by walking up from the test binaries to the folder that holds
/// <c>GhidraInsight.sln</c>, so the tests read the files as committed, wherever the repository is checked out.
/// </summary>
internal static class DeployFiles
{
    public const string RegionNlb = "deploy/cloud/aws/region-nlb.yaml";
    public const string Route53Latency = "deploy/cloud/aws/route53-latency.yaml";
    public const string GlobalAccelerator = "deploy/cloud/aws/global-accelerator.yaml";
    public const string GcpGlobalLoadBalancer = "deploy/cloud/gcp/global-lb.yaml";
    public const string TrafficManager = "deploy/cloud/azure/traffic-manager.json";

    /// <summary>The regions every global file routes between (DESIGN.md's example deployment).</summary>
    public static readonly IReadOnlySet<string> Regions = new HashSet<string>(StringComparer.Ordinal) { "us-east-1", "eu-west-1", "ap-south-1" };

    private static readonly Lazy<string> Root = new(FindRoot);

    public static string FullPath(string relativePath) =>
        Path.Combine(Root.Value, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static string ReadAllText(string relativePath) => File.ReadAllText(FullPath(relativePath));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GhidraInsight.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds GhidraInsight.sln");
    }
}
