using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Threading.Channels;
using GhidraInsight.Analysis;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Server.Metrics;
using GhidraInsight.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// Results an older engine made are analysed again by this one, once across regions: the primary region does it, with the
/// binary from its own store or fetched from the region that holds it, and the new result replicates like any analysis.
/// <list type="bullet">
/// <item>In the background, never on the read: a read stays a read (the stale result is served at once, marked
/// <c>"stale": true</c>), and a burst of reads of one result costs one analysis. A region that serves a stale result asks the
/// primary for it (at most once a minute per result); the primary's own reads queue it directly.</item>
/// <item>A result whose binary no region holds cannot be made again: it stays stale, and is not asked for again for ten minutes.</item>
/// <item><see cref="Start"/> (<c>POST /api/reanalyze</c>, <c>ghidrainsight reanalyze</c>) goes through every stored result with a
/// bounded number at a time; analyses take the same slots as uploads (<c>server.analysis_concurrency</c>).</item>
/// </list>
/// </summary>
internal sealed class Reanalysis : BackgroundService
{
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan NotHeldFor = TimeSpan.FromMinutes(10);

    /// <summary>Where a region asks the primary to re-analyse results it served stale (signed, inter-region).</summary>
    public const string InternalPath = "/api/internal/reanalyze";

    /// <summary>The most results one job runs at a time.</summary>
    public const int MaxConcurrency = 16;

    private readonly IAnalysisStore _store;
    private readonly AnalysisService _analyses;
    private readonly MultiRegionManager _regions;
    private readonly IHttpClientFactory _clients;
    private readonly ServerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<string> _asked = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly ConcurrentDictionary<string, long> _lastAsked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _notHeld = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<ReanalysisOutcome>>> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _jobLock = new();
    private Job? _job;
    private int _disposed;

    public Reanalysis(IAnalysisStore store, AnalysisService analyses, MultiRegionManager regions, IHttpClientFactory clients, ServerMetrics metrics,
        TimeProvider time, ILogger<Reanalysis> logger)
    {
        _store = store;
        _analyses = analyses;
        _regions = regions;
        _clients = clients;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// A read served this stale result: the primary is asked to re-analyse it, unless it was asked within the last minute (by
    /// this region) or its binary was found nowhere within the last ten.
    /// </summary>
    public void Served(string id)
    {
        if ((_lastAsked.TryGetValue(id, out var asked) && _time.GetElapsedTime(asked) < AskAgainAfter) || RecentlyNotHeld(id))
        {
            return;
        }

        _lastAsked[id] = _time.GetTimestamp();
        if (_lastAsked.Count > 100_000)
        {
            _lastAsked.Clear();
        }

        if (_regions.IsCurrentRegionPrimary)
        {
            _asked.Writer.TryWrite(id);
        }
        else
        {
            _ = AskPrimaryAsync(id);
        }
    }

    /// <summary>Results another region served stale. False when this region is not the primary (that region asks again later).</summary>
    public bool Accept(IReadOnlyList<string> ids)
    {
        if (!_regions.IsCurrentRegionPrimary)
        {
            return false;
        }

        foreach (var id in ids)
        {
            if (!RecentlyNotHeld(id))
            {
                _asked.Writer.TryWrite(id);
            }
        }

        return true;
    }

    /// <summary>Whether no region held the binary when this region last looked, less than ten minutes ago.</summary>
    private bool RecentlyNotHeld(string id) => _notHeld.TryGetValue(id, out var missing) && _time.GetElapsedTime(missing) < NotHeldFor;

    /// <summary>Starts re-analysing every stale result, <paramref name="concurrency"/> at a time; a job already running goes on as it is.</summary>
    /// <returns>Whether a new job started, and the status.</returns>
    public (bool Started, ReanalysisStatus Status) Start(int concurrency)
    {
        lock (_jobLock)
        {
            if (_job is { Finished: null } running)
            {
                return (false, running.Status(_regions.CurrentRegion));
            }

            var job = new Job(concurrency, _time.GetUtcNow());
            _job = job;
            _ = Task.Run(() => RunJobAsync(job, _stopping.Token));
            return (true, job.Status(_regions.CurrentRegion));
        }
    }

    /// <summary>The last job's progress (idle when none ran since this region started).</summary>
    public ReanalysisStatus Status() =>
        Volatile.Read(ref _job)?.Status(_regions.CurrentRegion)
        ?? new ReanalysisStatus(_regions.CurrentRegion, "idle", AnalysisEngine.Version, 0, 0, 0, 0, 0, 0, 0, null, null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in _asked.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunAsync(id, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // A job running ends here too; what it re-analysed is stored.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        // Registered as itself and as a hosted service: disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
            base.Dispose();
        }
    }

    private async Task RunJobAsync(Job job, CancellationToken cancellationToken)
    {
        Log.ReanalysisStarted(_logger, job.Concurrency, AnalysisEngine.Version);
        try
        {
            await Parallel.ForEachAsync(StaleIdsAsync(job, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = job.Concurrency, CancellationToken = cancellationToken },
                async (id, cancellationToken) => job.Count(await RunAsync(id, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the job ends here; what it re-analysed is stored.
        }
        catch (Exception ex)
        {
            Log.ReanalysisJobFailed(_logger, ex.Message, ex);
            job.Abandon();
        }

        job.Finish(_time.GetUtcNow());
        var status = job.Status(_regions.CurrentRegion);
        Log.ReanalysisFinished(_logger, status.Reanalysed, status.Current, status.NotHeld, status.Failed);
    }

    /// <summary>Every stored result an older engine made, in id order, counting what it looks at.</summary>
    private async IAsyncEnumerable<string> StaleIdsAsync(Job job, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var page = await _store.ListAnalysesAsync(500, after, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var summary in page)
            {
                job.Examine(EngineVersions.IsOlder(summary.EngineVersion, AnalysisEngine.Version));
                if (EngineVersions.IsOlder(summary.EngineVersion, AnalysisEngine.Version))
                {
                    yield return summary.Id;
                }
            }

            after = page[^1].Id;
        }
    }

    /// <summary>One re-analysis; concurrent callers for the same result share it. Never throws but for cancellation.</summary>
    private async Task<ReanalysisOutcome> RunAsync(string id, CancellationToken cancellationToken)
    {
        var candidate = new Lazy<Task<ReanalysisOutcome>>(() => ReanalyzeAsync(id, _stopping.Token));
        var shared = _running.GetOrAdd(id, candidate);
        try
        {
            return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ReferenceEquals(shared, candidate))
            {
                _running.TryRemove(new KeyValuePair<string, Lazy<Task<ReanalysisOutcome>>>(id, shared));
            }
        }
    }

    private async Task<ReanalysisOutcome> ReanalyzeAsync(string id, CancellationToken cancellationToken)
    {
        var outcome = ReanalysisOutcome.Failed;
        try
        {
            var stored = await _store.GetAnalysisAsync(id, cancellationToken).ConfigureAwait(false);
            if (stored is null || !AnalysisService.IsStale(stored))
            {
                return outcome = ReanalysisOutcome.Current;
            }

            var bytes = await _store.GetBinaryAsync(id, cancellationToken).ConfigureAwait(false);
            if (bytes is not null && Convert.ToHexStringLower(SHA256.HashData(bytes)) != id)
            {
                // Not the bytes the result was made from (a damaged store): better stale than wrong.
                Log.ReanalysisBinaryMismatch(_logger, id);
                bytes = null;
            }

            bytes ??= await _regions.FetchBinaryAsync(id, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                _notHeld[id] = _time.GetTimestamp();
                Log.ReanalysisNotHeld(_logger, id, stored.EngineVersion);
                return outcome = ReanalysisOutcome.NotHeld;
            }

            var replaced = await _analyses.ReanalyzeAsync(id, bytes, cancellationToken).ConfigureAwait(false);
            if (replaced)
            {
                Log.Reanalysed(_logger, id, stored.EngineVersion, AnalysisEngine.Version);
            }

            return outcome = replaced ? ReanalysisOutcome.Reanalysed : ReanalysisOutcome.Current;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.ReanalysisFailed(_logger, id, ex.Message, ex);
            return ReanalysisOutcome.Failed;
        }
        finally
        {
            _metrics.Reanalysis(outcome);
        }
    }

    /// <summary>Asks the primary to re-analyse a result (signed); a primary that cannot be reached is asked again on a later read.</summary>
    private async Task AskPrimaryAsync(string id)
    {
        if (_regions.PrimaryEndpoint is not { } primary)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await _clients.CreateClient(RegionHttpClients.Replication)
                .PostAsJsonAsync(new Uri(primary, InternalPath), new ReanalysisRequest([id]), ContractsJsonContext.Default.ReanalysisRequest, timeout.Token)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _lastAsked.TryRemove(id, out _);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            _lastAsked.TryRemove(id, out _);
            Log.ReanalysisNotAsked(_logger, id, _regions.PrimaryRegion, ex.Message);
        }
    }

    /// <summary>One run through every stored result, with its counters.</summary>
    private sealed class Job(int concurrency, DateTimeOffset started)
    {
        private long _examined;
        private long _stale;
        private long _reanalysed;
        private long _current;
        private long _notHeld;
        private long _failed;
        private bool _abandoned;

        public int Concurrency { get; } = concurrency;

        private long _finishedMs = -1;

        /// <summary>When it ended (written by the job's own task, read by any request: kept as one word).</summary>
        public DateTimeOffset? Finished => Interlocked.Read(ref _finishedMs) is var ms and >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        public void Examine(bool stale)
        {
            Interlocked.Increment(ref _examined);
            if (stale)
            {
                Interlocked.Increment(ref _stale);
            }
        }

        public void Count(ReanalysisOutcome outcome)
        {
            switch (outcome)
            {
                case ReanalysisOutcome.Reanalysed:
                    Interlocked.Increment(ref _reanalysed);
                    break;
                case ReanalysisOutcome.Current:
                    Interlocked.Increment(ref _current);
                    break;
                case ReanalysisOutcome.NotHeld:
                    Interlocked.Increment(ref _notHeld);
                    break;
                default:
                    Interlocked.Increment(ref _failed);
                    break;
            }
        }

        /// <summary>The listing failed: what was not reached counts as failed.</summary>
        public void Abandon() => Volatile.Write(ref _abandoned, true);

        public void Finish(DateTimeOffset at) => Interlocked.Exchange(ref _finishedMs, at.ToUnixTimeMilliseconds());

        public ReanalysisStatus Status(string region)
        {
            var finished = Finished;
            var (stale, reanalysed, current, notHeld) = (Interlocked.Read(ref _stale), Interlocked.Read(ref _reanalysed), Interlocked.Read(ref _current), Interlocked.Read(ref _notHeld));
            var failed = Interlocked.Read(ref _failed);
            if (finished is not null)
            {
                // Finished: whatever was found stale and not counted (cancelled by a shutdown, or the listing broke) did not happen.
                failed = Volatile.Read(ref _abandoned) || stale > reanalysed + current + notHeld + failed ? stale - reanalysed - current - notHeld : failed;
            }

            return new ReanalysisStatus(region, finished is null ? "running" : "finished", AnalysisEngine.Version, Concurrency, Interlocked.Read(ref _examined),
                stale, reanalysed, current, notHeld, failed, started, finished);
        }
    }
}

/// <summary>How one re-analysis ended.</summary>
internal enum ReanalysisOutcome
{
    Reanalysed,
    Current,
    NotHeld,
    Failed,
}
