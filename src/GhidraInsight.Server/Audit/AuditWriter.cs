using System.Threading.Channels;
using GhidraInsight.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Audit;

/// <summary>
/// Writes audit entries in the background, in the order they were handed over, so that recording never holds a connection:
/// Kestrel runs a request's completion callbacks before it reads the next request on the same keep-alive connection, and a store
/// that cannot write for a while (a database failing over) would hold that connection for the whole write deadline. At most
/// <see cref="Capacity"/> entries wait; beyond that they are dropped, and the log says how many. At shutdown the queue is written
/// out within the host's shutdown timeout, and entries of requests still finishing are written as they come.
/// </summary>
internal sealed class AuditWriter(IAuditTrail trail, ILogger<AuditWriter> logger) : BackgroundService
{
    internal const int Capacity = 10_000;

    private readonly Channel<AuditEntry> _entries = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private long _dropped;
    private volatile bool _stopping;

    /// <summary>
    /// Queues <paramref name="entry"/> to be written, without waiting; once the region is stopping (the queue has been written
    /// out), writes it now and returns that write.
    /// </summary>
    public Task RecordAsync(AuditEntry entry)
    {
        if (_entries.Writer.TryWrite(entry))
        {
            return Task.CompletedTask;
        }
        if (_stopping)
        {
            return WriteAsync(entry);
        }
        if (Interlocked.Increment(ref _dropped) == 1)
        {
            Log.AuditQueueFull(logger, Capacity);
        }
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not tied to stoppingToken: what was queued is still written at shutdown (StopAsync completes the queue).
        while (await _entries.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (_entries.Reader.TryRead(out var entry))
            {
                await WriteAsync(entry).ConfigureAwait(false);
            }

            if (Interlocked.Exchange(ref _dropped, 0) is var dropped && dropped > 0)
            {
                Log.AuditEntriesDropped(logger, dropped);
            }
        }
    }

    private async Task WriteAsync(AuditEntry entry)
    {
        try
        {
            await trail.RecordAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.AuditNotRecorded(logger, entry.Action, entry.Target, entry.KeyName, entry.Result, exception.Message);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _entries.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
