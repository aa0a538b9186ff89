using System.Security.Cryptography;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Health;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Locality;

/// <summary>
/// Raw binaries stay in the region that received them; when this region needs one it does not hold (to disassemble a
/// function), it asks the others — healthy ones first — over the signed inter-region API, and checks the bytes' SHA-256.
/// </summary>
internal sealed class RemoteBinaryFetcher(IOptionsMonitor<RegionOptions> options, PeerMonitor monitor, IHttpClientFactory clients)
{
    public async Task<byte[]?> FetchAsync(string id, CancellationToken cancellationToken)
    {
        var region = options.CurrentValue;
        if (!region.Enabled || string.IsNullOrEmpty(region.Secret))
        {
            return null;
        }

        var health = monitor.Snapshot();
        var candidates = region.Regions
            .Where(name => name != region.CurrentRegion && region.Endpoints.ContainsKey(name))
            .OrderByDescending(name => health.TryGetValue(name, out var snapshot) && snapshot.Healthy);
        var client = clients.CreateClient(RegionHttpClients.Replication);
        foreach (var name in candidates)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(region.Endpoints[name], BinaryEndpoints.Path.Replace("{id}", id, StringComparison.Ordinal)),
                    cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }

                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (Convert.ToHexStringLower(SHA256.HashData(bytes)) == id)
                {
                    return bytes;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Try the next region.
            }
        }

        return null;
    }
}
