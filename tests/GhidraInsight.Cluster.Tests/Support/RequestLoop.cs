using System.Net;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>One request of a <see cref="RequestLoop"/>: when it was sent, how it ended, and which region the gateway said served it.</summary>
internal sealed record LoopOutcome(DateTime SentAt, DateTime At, HttpStatusCode? Status, string? ServedBy, string? Error, string Body)
{
    public bool Succeeded => Status is { } status && (int)status is >= 200 and < 300;

    public override string ToString() => $"{SentAt:HH:mm:ss.fff} -> {(Status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : Error)} by {ServedBy ?? "-"}: {Body}";
}

/// <summary>
/// Workers that send requests through the gateway back to back until stopped, recording every outcome. A request that takes more
/// than 10 s counts as failed: a hang is a failure too.
/// </summary>
internal sealed class RequestLoop
{
    private readonly List<LoopOutcome> _outcomes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];

    private RequestLoop()
    {
    }

    public IReadOnlyList<LoopOutcome> Outcomes
    {
        get
        {
            lock (_outcomes)
            {
                return [.. _outcomes];
            }
        }
    }

    public IReadOnlyList<LoopOutcome> Failures => [.. Outcomes.Where(o => !o.Succeeded)];

    /// <summary>Starts <paramref name="workers"/> workers, each sending <paramref name="request"/>(its running count) with a pause between.</summary>
    public static RequestLoop Start(HttpClient client, Func<int, HttpRequestMessage> request, int workers = 2, int pauseMs = 0)
    {
        var loop = new RequestLoop();
        var sequence = 0;
        for (var w = 0; w < workers; w++)
        {
            loop._workers.Add(Task.Run(async () =>
            {
                while (!loop._stop.IsCancellationRequested)
                {
                    using var message = request(Interlocked.Increment(ref sequence));
                    loop.Record(await SendAsync(client, message));
                    if (pauseMs > 0)
                    {
                        try
                        {
                            await Task.Delay(pauseMs, loop._stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                }
            }));
        }
        return loop;
    }

    /// <summary>Sends one request; never throws for what the network or the server did.</summary>
    public static async Task<LoopOutcome> SendAsync(HttpClient client, HttpRequestMessage message)
    {
        var sent = DateTime.UtcNow;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await client.SendAsync(message, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            var servedBy = response.Headers.TryGetValues("X-Ghidra-Served-By", out var values) ? values.Single() : null;
            // Successful reads are many and large; what is kept of them is only for messages.
            var kept = message.Method == HttpMethod.Get && response.IsSuccessStatusCode && body.Length > 200 ? body[..200] : body;
            return new LoopOutcome(sent, DateTime.UtcNow, response.StatusCode, servedBy, null, kept);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return new LoopOutcome(sent, DateTime.UtcNow, null, null, ex.GetType().Name + ": " + ex.Message, "");
        }
    }

    /// <summary>Waits until an outcome matching <paramref name="condition"/> has been recorded after now.</summary>
    public Task<bool> WaitForAsync(Func<LoopOutcome, bool> condition, TimeSpan timeout)
    {
        var from = DateTime.UtcNow;
        return TestCluster.EventuallyAsync(() => Task.FromResult(Outcomes.Any(o => o.SentAt >= from && condition(o))), timeout);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    private void Record(LoopOutcome outcome)
    {
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
        }
    }
}
