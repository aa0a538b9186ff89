using System.Net.Http.Headers;
using GhidraInsight.Storage;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// Pushes this region's outbox to one target: read after the target's durable cursor, POST a signed batch to
/// <c>/api/replicate</c>, advance the cursor to the acknowledged sequence only. Idle, it waits for <see cref="Notify"/> or a
/// short fallback poll; failing, it backs off with full jitter and logs once per change of state.
/// </summary>
internal sealed class Replicator
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    internal static readonly TimeSpan CursorPersistInterval = TimeSpan.FromSeconds(1);

    private readonly string _origin;
    private readonly Uri _replicateUri;
    private readonly IAnalysisStore _store;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReplicationBackoff _backoff;
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _progress = NewSignal();
    private long _acknowledged = -1;
    private long _persisted = -1;
    private DateTimeOffset _persistedAt;
    private long _sentTotal;
    private string? _lastError;
    private DateTimeOffset? _oldestUnacknowledged;

    public Replicator(string origin, string target, Uri endpoint, IAnalysisStore store, HttpClient signedHttp, TimeProvider time, ILogger logger, Random? random = null)
    {
        _origin = origin;
        Target = target;
        _replicateUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/api/replicate");
        _store = store;
        _http = signedHttp;
        _time = time;
        _logger = logger;
        _backoff = new ReplicationBackoff(random ?? Random.Shared);
    }

    public string Target { get; }

    public long SentTotal => Interlocked.Read(ref _sentTotal);

    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Lag from what the loop last read, without touching the store.</summary>
    public double CachedLagMs => _oldestUnacknowledged is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalMilliseconds) : 0;

    /// <summary>Wakes the loop now (called after each local write).</summary>
    public void Notify() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    public async Task<ReplicationTargetStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var cursor = Math.Max(await _store.GetReplicationCursorAsync(Target, cancellationToken).ConfigureAwait(false), Interlocked.Read(ref _acknowledged));
        var backlog = await _store.GetBacklogAsync(cursor, cancellationToken).ConfigureAwait(false);
        var lag = backlog.OldestCreatedAt is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalMilliseconds) : 0;
        return new ReplicationTargetStatus(backlog.Pending, lag, LastError, SentTotal);
    }

    /// <summary>True once the target has acknowledged <paramref name="sequence"/>; false when cancelled first.</summary>
    public async Task<bool> WaitUntilAcknowledgedAsync(long sequence, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var progress = Volatile.Read(ref _progress).Task;
                if (Interlocked.Read(ref _acknowledged) >= sequence)
                {
                    return true;
                }

                Notify();
                await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake).Task;
            try
            {
                if (_persisted < 0)
                {
                    _persisted = await _store.GetReplicationCursorAsync(Target, cancellationToken).ConfigureAwait(false);
                    Advance(_persisted);
                }
                var cursor = Interlocked.Read(ref _acknowledged);
                var entries = await _store.ReadOutboxAsync(cursor, ReplicationBatch.MaxEntries, cancellationToken).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    _oldestUnacknowledged = null;
                    await PersistCursorAsync(force: true, cancellationToken).ConfigureAwait(false);
                    await WaitForWorkAsync(wake, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                _oldestUnacknowledged = entries[0].CreatedAt;
                var through = await SendAsync(entries, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _sentTotal, entries.Count(entry => entry.Sequence <= through));
                Advance(through);
                await PersistCursorAsync(force: false, cancellationToken).ConfigureAwait(false);
                _backoff.Reset();
                Volatile.Write(ref _lastError, null);
                if (failing)
                {
                    failing = false;
                    Log.ReplicationRecovered(_logger, Target);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Volatile.Write(ref _lastError, exception.Message);
                if (!failing)
                {
                    failing = true;
                    Log.ReplicationFailing(_logger, Target, exception.Message);
                }

                try
                {
                    await Task.Delay(_backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Posts one batch and returns the acknowledged sequence, clamped to what was sent.</summary>
    private async Task<long> SendAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        var body = ReplicationJson.Serialize(ReplicationBatch.From(_origin, entries));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(_replicateUri, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{Target} answered HTTP {(int)response.StatusCode} to /api/replicate", null, response.StatusCode);
        }

        var ack = ReplicationJson.DeserializeAck(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        var first = entries[0].Sequence;
        var last = entries[^1].Sequence;
        if (ack.AppliedThrough < first)
        {
            throw new InvalidOperationException($"{Target} acknowledged {ack.AppliedThrough}, none of {first}..{last}");
        }

        return Math.Min(ack.AppliedThrough, last);
    }

    /// <summary>
    /// Stores the acknowledged cursor when idle, and at most once a second while busy: a cursor lost in a crash only
    /// re-sends entries the target already has, which it skips, so the hot path needs no extra fsync per batch.
    /// </summary>
    private async Task PersistCursorAsync(bool force, CancellationToken cancellationToken)
    {
        var acknowledged = Interlocked.Read(ref _acknowledged);
        if (acknowledged <= _persisted || (!force && _time.GetUtcNow() - _persistedAt < CursorPersistInterval))
        {
            return;
        }
        await _store.SetReplicationCursorAsync(Target, acknowledged, cancellationToken).ConfigureAwait(false);
        _persisted = acknowledged;
        _persistedAt = _time.GetUtcNow();
    }

    private async Task WaitForWorkAsync(Task wake, CancellationToken cancellationToken)
    {
        using var pollCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = Task.Delay(PollInterval, _time, pollCancel.Token);
        await Task.WhenAny(wake, poll).ConfigureAwait(false);
        await pollCancel.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Advance(long acknowledged)
    {
        if (acknowledged > Interlocked.Read(ref _acknowledged))
        {
            Interlocked.Exchange(ref _acknowledged, acknowledged);
        }

        Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
