using System.Net;

namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// Signs every request of the HttpClient it is part of (used by the replication, failover and Raft clients, never by
/// forwarding). During a secret rotation a peer that has not taken the new secret yet refuses it (401); the request is then
/// signed again with the previous secret and sent once more, so no batch fails while the regions move one after the other.
/// </summary>
internal sealed class RegionSigningHandler(RegionRequestSigner signer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Reading buffers the content, so the bytes hashed are the bytes sent (and can be sent again).
        var body = request.Content is null
            ? []
            : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        signer.Sign(request, body);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !signer.SignWithPrevious(request, body))
        {
            return response;
        }

        response.Dispose();
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
