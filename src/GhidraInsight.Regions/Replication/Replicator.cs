using GhidraInsight.Http.Problems;
using System.Net.Http.Headers;
using GhidraInsight.Storage;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// Pushes this region's outbox to one target: read after the target's durable cursor, POST a signed batch to
/// <c>/api/replicate</c>, advance the cursor to the acknowledged sequence only. Idle, it waits for <see cref="Notify"/> or a
/// short fallback poll; failing, it backs off with full jitter and logs once per change of state. When the entries the target
/// needs next were pruned (it was behind longer than the retention), it asks how far the target really is and, if that is
/// not enough, resyncs it from a snapshot of the whole state before streaming on.
/// </summary>
internal sealed class Replicator
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    internal static readonly TimeSpan CursorPersistInterval = TimeSpan.FromSeconds(1);

    private const int SnapshotPageEntries = 100;

    private readonly string _origin;
    private readonly Uri _replicateUri;
    private readonly IReplicationLog _log;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReplicationBackoff _backoff;
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _progress = NewSignal();
    private long _acknowledged = -1;
    private long _persisted = -1;
    private long _resyncingFrom = -1;
    private long _resyncs;
    private DateTimeOffset _persistedAt;
    private long _sentTotal;
    private string? _lastError;
    private DateTimeOffset? _oldestUnacknowledged;

    public Replicator(string origin, string target, Uri endpoint, IReplicationLog log, HttpClient signedHttp, TimeProvider time, ILogger logger, Random? random = null)
    {
        _origin = origin;
        Target = target;
        _replicateUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/api/replicate");
        _log = log;
        _http = signedHttp;
        _time = time;
        _logger = logger;
        _backoff = new ReplicationBackoff(random ?? Random.Shared);
    }

    public string Target { get; }

    public long SentTotal => Interlocked.Read(ref _sentTotal);

    /// <summary>Full resyncs of the target since this process started.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>The highest sequence the target acknowledged as this loop knows it (-1 before the loop read its cursor).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>While a resync runs: the outbox head it began at (entries after it must be kept for the stream that follows); else null.</summary>
    public long? ResyncingFrom => Interlocked.Read(ref _resyncingFrom) is >= 0 and var from ? from : null;

    /// <summary>Lag from what the loop last read, without touching the store.</summary>
    public double CachedLagMs => _oldestUnacknowledged is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalMilliseconds) : 0;

    /// <summary>Wakes the loop now (called after each local write).</summary>
    public void Notify() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    /// <summary>The durable cursor, or what the loop knows when it is further.</summary>
    public async Task<long> CursorAsync(CancellationToken cancellationToken) =>
        Math.Max(await _log.GetReplicationCursorAsync(Target, cancellationToken).ConfigureAwait(false), Acknowledged);

    /// <summary>True once the target has acknowledged <paramref name="sequence"/>; false when cancelled first.</summary>
    public async Task<bool> WaitUntilAcknowledgedAsync(long sequence, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var progress = Volatile.Read(ref _progress).Task;
                if (Acknowledged >= sequence)
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
                    _persisted = await _log.GetReplicationCursorAsync(Target, cancellationToken).ConfigureAwait(false);
                    Advance(_persisted);
                }

                var cursor = Acknowledged;
                // The head is read before the entries: everything up to it had committed, so the read sees it unless it was pruned.
                // Read after, a write committing in between looked like pruning and cost a needless resync from a snapshot.
                var head = await _log.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
                var entries = await _log.ReadOutboxAsync(cursor, ReplicationBatch.MaxEntries, cancellationToken).ConfigureAwait(false);
                if (entries.Count > 0 ? entries[0].Sequence > cursor + 1 : head > cursor)
                {
                    // What the target needs next was pruned.
                    await CatchUpPastPruningAsync(cursor, entries.Count > 0 ? entries[0].Sequence - 1 : null, cancellationToken).ConfigureAwait(false);
                }
                else if (entries.Count == 0)
                {
                    _oldestUnacknowledged = null;
                    await PersistCursorAsync(force: true, cancellationToken).ConfigureAwait(false);
                    await WaitForWorkAsync(wake, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                else
                {
                    _oldestUnacknowledged = entries[0].CreatedAt;
                    var through = await SendAsync(ReplicationBatch.From(_origin, entries), cancellationToken).ConfigureAwait(false);
                    through = Math.Min(through, entries[^1].Sequence);
                    if (through < entries[0].Sequence)
                    {
                        throw new InvalidOperationException($"{Target} acknowledged {through}, none of {entries[0].Sequence}..{entries[^1].Sequence}");
                    }

                    Interlocked.Add(ref _sentTotal, entries.Count(entry => entry.Sequence <= through));
                    Advance(through);
                }

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

    /// <summary>
    /// The target's cursor points into pruned entries. It may have applied more than this region's durable cursor says (a cursor is
    /// persisted lazily), so ask first; only when it is really behind what is kept, resync it from a snapshot.
    /// </summary>
    private async Task CatchUpPastPruningAsync(long cursor, long? keptFrom, CancellationToken cancellationToken)
    {
        var head = await _log.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        var applied = await SendAsync(new ReplicationBatch(_origin, []), cancellationToken).ConfigureAwait(false);
        if (applied >= (keptFrom ?? head))
        {
            Advance(Math.Min(applied, head));
            return;
        }

        Log.ResyncStarting(_logger, Target, cursor, applied, head);
        Interlocked.Exchange(ref _resyncingFrom, head);
        try
        {
            string? position = null;
            var sent = 0;
            do
            {
                var page = await _log.ReadSnapshotAsync(position, SnapshotPageEntries, cancellationToken).ConfigureAwait(false);
                position = page.Next;
                await SendAsync(ReplicationBatch.From(_origin, page.Entries) with { Snapshot = new SnapshotMark(head, position is null) }, cancellationToken)
                    .ConfigureAwait(false);
                sent += page.Entries.Count;
            }
            while (position is not null);

            Advance(head);
            await PersistCursorAsync(force: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _resyncs);
            Log.ResyncDone(_logger, Target, sent, head);
        }
        finally
        {
            Interlocked.Exchange(ref _resyncingFrom, -1);
        }
    }

    /// <summary>Posts one batch and returns the target's <c>applied_through</c>.</summary>
    private async Task<long> SendAsync(ReplicationBatch batch, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(ReplicationJson.Serialize(batch));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(_replicateUri, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The problem's code says why (STORAGE_FULL, REGION_UNAUTHORIZED…): /health and the log show it to the operator.
            var problem = Problem.TryParse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            throw new HttpRequestException(
                $"{Target} answered HTTP {(int)response.StatusCode}{(problem is null ? "" : " " + problem.Code)} to /api/replicate" +
                (problem?.Detail is { } detail ? $": {detail}" : ""), null, response.StatusCode);
        }

        return ReplicationJson.DeserializeAck(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)).AppliedThrough;
    }

    /// <summary>
    /// Stores the acknowledged cursor when idle, and at most once a second while busy: a cursor lost in a crash only
    /// re-sends entries the target already has, which it skips, so the hot path needs no extra fsync per batch.
    /// </summary>
    private async Task PersistCursorAsync(bool force, CancellationToken cancellationToken)
    {
        var acknowledged = Acknowledged;
        if (acknowledged <= _persisted || (!force && _time.GetUtcNow() - _persistedAt < CursorPersistInterval))
        {
            return;
        }
        await _log.SetReplicationCursorAsync(Target, acknowledged, cancellationToken).ConfigureAwait(false);
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
        if (acknowledged > Acknowledged)
        {
            Interlocked.Exchange(ref _acknowledged, acknowledged);
        }

        Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
