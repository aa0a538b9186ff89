namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// Signs every request of the HttpClient it is part of (used by the replication, failover and Raft clients, never by
/// forwarding). During a secret rotation each request carries a signature with each secret the sender holds (see
/// <see cref="RegionRequestSigner.Sign"/>), so a peer that has not taken the new secret yet accepts it the first time: no
/// request is refused, or sent twice, while the regions move one after the other.
/// </summary>
internal sealed class RegionSigningHandler(RegionRequestSigner signer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Reading buffers the content, so the bytes hashed are the bytes sent.
        var body = request.Content is null
            ? []
            : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        signer.Sign(request, body);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
