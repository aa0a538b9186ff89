using GhidraInsight.Configuration;
using GhidraInsight.Http.Tls;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Regions.Authentication;

/// <summary>The HttpClients a region calls other regions with, and their one way of being registered.</summary>
public static class RegionHttpClients
{
    /// <summary>Unsigned, for <c>/health</c> probes (each probe sets its own deadline).</summary>
    public const string Health = "GhidraInsight.Regions.Health";

    /// <summary>Signed with the region secret, for replication and raw binaries; timeout: <c>cross_region_timeout</c>.</summary>
    public const string Replication = "GhidraInsight.Regions.Replication";

    /// <summary>Signed, for failover status checks and switchover relays (each call sets its own deadline).</summary>
    public const string Failover = "GhidraInsight.Regions.Failover";

    /// <summary>Signed, for DotNext's Raft transport (it sets its own timeouts).</summary>
    public const string Raft = "GhidraInsight.Regions.Raft";

    /// <summary>
    /// Registers a named HttpClient for calls to other regions: <paramref name="timeout"/>, a user agent naming this region (so a
    /// peer's access logs, and a proxy, can tell who calls) and, when <paramref name="signed"/>, every request signed with the
    /// region secret.
    /// </summary>
    internal static IHttpClientBuilder AddRegionClient(this IServiceCollection services, string name, RegionOptions region, TimeSpan timeout, bool signed)
    {
        var builder = services.AddHttpClient(name, client =>
        {
            client.Timeout = timeout;
            client.DefaultRequestHeaders.UserAgent.TryParseAdd($"GhidraInsight-Region/{region.CurrentRegion}");
        })
            // https:// peers are verified against the deployment's CA, with this region's client certificate under mutual TLS.
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<PeerTls>().Apply(new SocketsHttpHandler { UseProxy = false }));
        if (signed && !string.IsNullOrEmpty(region.Secret))
        {
            builder.AddHttpMessageHandler(provider =>
                new RegionSigningHandler(new RegionRequestSigner(region.CurrentRegion, provider.GetRequiredService<RegionSecret>(), provider.GetRequiredService<TimeProvider>())));
        }

        return builder;
    }
}
