using GhidraInsight.Http.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Regions.Tests.Support;

/// <summary>A peer region's <c>/health</c> on real Kestrel, with a switchable answer.</summary>
internal sealed class FakeRegion : IAsyncDisposable
{
    private LoopbackServer? _server;

    public required string Name { get; init; }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string Role { get; set; } = "replica";

    public long Epoch { get; set; } = 1;

    /// <summary>Answer as another region (a misconfigured endpoint).</summary>
    public string? ClaimedName { get; set; }

    /// <summary>Hold each answer this long (the request is abandoned when the client gives up).</summary>
    public TimeSpan Delay { get; set; }

    public Uri Address => _server!.Address;

    public static async Task<FakeRegion> StartAsync(string name)
    {
        var region = new FakeRegion { Name = name };
        region._server = await LoopbackServer.StartAsync(app => app.MapGet("/health", (Delegate)region.HealthAsync));
        return region;
    }

    /// <summary>Closes the listener: probes now get connection refused.</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<IResult> HealthAsync(HttpContext context)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        var health = new HealthReport(StatusCode == 200 ? HealthReport.Healthy : HealthReport.Unhealthy, ClaimedName ?? Name, 0.1, Role,
            Role == "primary" ? Name : null, Epoch, false, null, new Dictionary<string, ReplicationHealth>());
        return Results.Json(health, ContractsJsonContext.Default.HealthReport, statusCode: StatusCode);
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
