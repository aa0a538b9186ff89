using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using GhidraInsight.Http.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Gateway.Tests.Support;

/// <summary>One request a <see cref="ScriptedRegion"/> received.</summary>
internal sealed record Received(string Method, string Path, byte[] Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A stand-in for a region behind the gateway, on real HTTP on loopback: it answers <c>/health</c> with the region contract (its
/// name, role, the primary and epoch it reports) and every other request with <see cref="Handler"/>, so a test can make it fail in
/// the ways a real region does only by accident (a 502 from its own proxy, a connection cut mid-answer). Real regions behind a real
/// gateway are in the cluster tests.
/// </summary>
internal sealed class ScriptedRegion : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private ScriptedRegion(string name, WebApplication app, Uri endpoint)
    {
        Name = name;
        _app = app;
        Endpoint = endpoint;
    }

    public string Name { get; }
    public Uri Endpoint { get; }

    /// <summary>The primary this region reports on <c>/health</c>, and its epoch.</summary>
    public (string? Primary, long Epoch) Reports { get; set; }

    /// <summary>Its replication towards each other region, as <c>/health</c> reports it (none by default).</summary>
    public IReadOnlyDictionary<string, ReplicationHealth> Replication { get; set; } = new Dictionary<string, ReplicationHealth>();

    /// <summary>How long <c>/health</c> takes: how near the region looks to the gateway's probes.</summary>
    public TimeSpan HealthDelay { get; set; }

    /// <summary>The status <c>/health</c> answers.</summary>
    public int HealthStatus { get; set; } = StatusCodes.Status200OK;

    /// <summary>How every request but <c>/health</c> is answered; by default 200 with <c>{"region": NAME}</c>.</summary>
    public Func<HttpContext, Task>? Handler { get; set; }

    /// <summary>The requests but <c>/health</c> received, in order.</summary>
    public IReadOnlyList<Received> Requests => [.. _received];

    public static async Task<ScriptedRegion> StartAsync(string name, string? primary = null, long epoch = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ScriptedRegion? region = null;
        app.Run(async context =>
        {
            var self = region!;
            if (context.Request.Path == "/health")
            {
                await Task.Delay(self.HealthDelay);
                var (reported, reportedEpoch) = self.Reports;
                var report = new HealthReport(HealthReport.Healthy, self.Name, 0.1, reported == self.Name ? "primary" : "replica", reported, reportedEpoch,
                    reported == self.Name, reported, self.Replication);
                context.Response.StatusCode = self.HealthStatus;
                await context.Response.WriteAsJsonAsync(report, ContractsJsonContext.Default.HealthReport);
                return;
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            self._received.Enqueue(new Received(context.Request.Method, context.Request.Path + context.Request.QueryString, body.ToArray(),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            if (self.Handler is { } handler)
            {
                await handler(context);
                return;
            }

            await context.Response.WriteAsync(JsonSerializer.Serialize(new { region = self.Name }));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        region = new ScriptedRegion(name, app, new Uri(address));
        region.Reports = (primary ?? name, epoch);
        return region;
    }

    /// <summary>Answers every request with <paramref name="status"/> and, when given, these headers.</summary>
    public void Answer(int status, params (string Name, string Value)[] headers) => Handler = context =>
    {
        context.Response.StatusCode = status;
        foreach (var (header, value) in headers)
        {
            context.Response.Headers[header] = value;
        }

        return context.Response.WriteAsync($"{{\"region\":\"{Name}\",\"status\":{status}}}");
    };

    /// <summary>Stops listening: connections are refused from now on, as when the process died.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
