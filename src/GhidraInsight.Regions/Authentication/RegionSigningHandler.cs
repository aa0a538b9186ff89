namespace GhidraInsight.Regions.Authentication;

/// <summary>Signs every request of the HttpClient it is part of (used by the replication client, never by forwarding).</summary>
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
