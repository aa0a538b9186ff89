using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Support;

/// <summary>Simulates network latency deterministically: moves the fake clock forward while a request is in flight.</summary>
internal sealed class ClockAdvancingHandler(FakeTimeProvider time) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Dictionary<string, TimeSpan> _latency = new(StringComparer.Ordinal);

    public void SetLatency(Uri endpoint, TimeSpan latency) => _latency[endpoint.Authority] = latency;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (_latency.TryGetValue(request.RequestUri!.Authority, out var latency))
        {
            time.Advance(latency);
        }

        return response;
    }
}
