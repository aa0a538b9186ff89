using System.Security.Cryptography;
using GhidraInsight.Configuration;
using GhidraInsight.Regions;

namespace GhidraInsight.Server.Regions;

/// <summary>
/// Raw binaries stay in the region that received them; when this region needs one it does not hold (to disassemble a
/// function), it asks the others — healthy ones first — over the signed inter-region API, and checks the bytes' SHA-256.
/// </summary>
internal sealed class RemoteBinaryFetcher(GhidraOptions options, MultiRegionManager manager, IHttpClientFactory clients)
{
    public async Task<byte[]?> FetchAsync(string id, CancellationToken cancellationToken)
    {
        if (!options.Region.Enabled || string.IsNullOrEmpty(options.Region.Secret))
        {
            return null;
        }
        var status = manager.GetRegionStatus();
        var candidates = options.Region.Regions
            .Where(r => r != options.Region.CurrentRegion && options.Region.Endpoints.ContainsKey(r))
            .OrderByDescending(r => status.TryGetValue(r, out var s) && s.Healthy);
        var client = clients.CreateClient(RegionHttpClients.Replication);
        foreach (var region in candidates)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(options.Region.Endpoints[region], $"/api/internal/binaries/{id}"), cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
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
