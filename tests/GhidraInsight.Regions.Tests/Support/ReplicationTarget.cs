using System.Collections.Concurrent;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Regions.Tests.Support;

/// <summary>
/// Region "b"'s <c>/api/replicate</c> on real Kestrel: verifies the signature exactly as the server will, applies
/// through a <see cref="ReplicationReceiver"/> into its own fake store, and records every batch.
/// </summary>
internal sealed class ReplicationTarget : IAsyncDisposable
{
    private readonly ConcurrentQueue<IReadOnlyList<long>> _batches = new();
    private readonly RegionRequestVerifier _verifier;
    private readonly ReplicationReceiver _receiver;
    private LoopbackServer? _server;
    private TaskCompletionSource _request = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;
    private int _refusedSignatures;

    private ReplicationTarget(TimeProvider time, RegionSecret secret)
    {
        Store = new FakeReplicationLog(time);
        _verifier = new RegionRequestVerifier("b", ["a", "b"], secret, time);
        _receiver = new ReplicationReceiver(Store, "b", []);
    }

    public FakeReplicationLog Store { get; }

    /// <summary>Answer this instead of applying (e.g. 503).</summary>
    public int? FailWith { get; set; }

    public Uri Address => _server!.Address;

    public int Requests => Volatile.Read(ref _requests);

    public int RefusedSignatures => Volatile.Read(ref _refusedSignatures);

    /// <summary>Sequences of each applied batch, in arrival order.</summary>
    public IReadOnlyList<IReadOnlyList<long>> Batches => [.. _batches];

    public static Task<ReplicationTarget> StartAsync(TimeProvider time, string secret) => StartAsync(time, new RegionSecret(secret));

    /// <summary>A target whose secret the test may change while it runs (<paramref name="secret"/> can follow options).</summary>
    public static async Task<ReplicationTarget> StartAsync(TimeProvider time, RegionSecret secret)
    {
        var target = new ReplicationTarget(time, secret);
        target._server = await LoopbackServer.StartAsync(app => app.MapPost("/api/replicate", (Delegate)target.ReplicateAsync));
        return target;
    }

    /// <summary>Completes at the next request after this call.</summary>
    public Task NextRequestAsync() => Volatile.Read(ref _request).Task.WaitAsync(TimeSpan.FromSeconds(20));

    private async Task<IResult> ReplicateAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            if (FailWith is { } code)
            {
                return Results.StatusCode(code);
            }

            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            var verification = _verifier.Verify(context.Request.Headers, context.Request.Method, $"{context.Request.Path}{context.Request.QueryString}", body);
            if (!verification.Succeeded)
            {
                Interlocked.Increment(ref _refusedSignatures);
                return Results.Problem(statusCode: 401, title: verification.Code);
            }

            var batch = ReplicationJson.DeserializeBatch(body);
            var applied = await _receiver.ApplyAsync(verification.Region!, batch, context.RequestAborted);
            _batches.Enqueue(batch.Entries.Select(e => e.Sequence).ToArray());
            return Results.Bytes(ReplicationJson.Serialize(new ReplicationAck(applied.HighWaterMark)), "application/json");
        }
        finally
        {
            Interlocked.Exchange(ref _request, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => _server is null ? ValueTask.CompletedTask : _server.DisposeAsync();
}
