using System.Collections.Concurrent;
using System.Security.Cryptography;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Server.Caching;
using GhidraInsight.Server.Metrics;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// Stores binaries content-addressed and analyses each one once: a stored result is returned as it is, and concurrent
/// uploads of the same bytes share one analysis.
/// </summary>
internal sealed class AnalysisService
{
    private readonly IAnalysisStore _store;
    private readonly AnalysisCache _cache;
    private readonly AnalysisQueue _queue;
    private readonly AnalysisEngine _engine;
    private readonly ServerMetrics _metrics;
    private readonly long _maxBinaryBytes;
    private readonly string _region;
    private readonly MultiRegionManager _regions;
    private readonly PrimaryRole _role;
    private readonly ConcurrentDictionary<string, Lazy<Task<ServedAnalysis>>> _inFlight = new(StringComparer.Ordinal);

    public AnalysisService(IAnalysisStore store, AnalysisCache cache, AnalysisQueue queue, ServerMetrics metrics, GhidraOptions options, MultiRegionManager regions,
        PrimaryRole role)
    {
        _regions = regions;
        _role = role;
        _store = store;
        _cache = cache;
        _queue = queue;
        _metrics = metrics;
        _maxBinaryBytes = options.Storage.MaxBinaryBytes;
        _region = options.Region.CurrentRegion;
        _engine = new AnalysisEngine(new AnalysisOptions
        {
            MaxInputSize = options.Server.MaxUploadBytes,
            TimeBudget = TimeSpan.FromSeconds(options.Server.AnalysisTimeoutSeconds),
        });
    }

    public AnalysisEngine Engine => _engine;

    /// <summary>
    /// The stored analysis of these bytes, analysing and storing them first when needed. <paramref name="name"/> (the upload's
    /// file name, cleaned; null: none) names the analysis when it has no name yet; a name stored before is kept.
    /// </summary>
    /// <returns>The analysis, and whether this call created it.</returns>
    public async Task<(ServedAnalysis Analysis, bool Created)> AnalyzeAsync(byte[] bytes, string? name, CancellationToken cancellationToken)
    {
        var (analysis, created) = await GetOrCreateAsync(bytes, name, cancellationToken).ConfigureAwait(false);
        // Stored before without a name (or by a racing upload without one): this upload's name is the first.
        return name is not null && analysis.Stored.Name is null ? (await NameAsync(analysis, name, cancellationToken).ConfigureAwait(false), created) : (analysis, created);
    }

    private async Task<(ServedAnalysis Analysis, bool Created)> GetOrCreateAsync(byte[] bytes, string? name, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            if (!IsStale(existing.Stored))
            {
                return (existing, false);
            }

            // An older engine made it, and the bytes are here: the uploader gets this engine's result, stored for every region.
            await ReanalyzeAsync(id, bytes, cancellationToken).ConfigureAwait(false);
            if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } renewed)
            {
                return (renewed, false);
            }
        }
        // Lazy makes the analysis start once even when racing callers both build a candidate.
        var candidate = new Lazy<Task<ServedAnalysis>>(() => Task.Run(() => AnalyzeAndStoreAsync(id, bytes, name), CancellationToken.None));
        var shared = _inFlight.GetOrAdd(id, candidate);
        var created = ReferenceEquals(shared, candidate);
        try
        {
            // Not tied to this caller's cancellation: other callers may be waiting for the same result.
            var analysis = await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            return (analysis, created);
        }
        finally
        {
            if (created)
            {
                _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<ServedAnalysis>>>(id, shared));
            }
        }
    }

    /// <summary>
    /// Names a stored analysis that has none (<see cref="IAnalysisStore.NameAnalysisAsync"/>) and replicates the name. The
    /// answer carries the name that is stored: this one, or the one a racing upload stored first.
    /// </summary>
    private async Task<ServedAnalysis> NameAsync(ServedAnalysis analysis, string name, CancellationToken cancellationToken)
    {
        var id = analysis.Id;
        bool named;
        try
        {
            named = await _store.NameAnalysisAsync(id, name, _role.Epoch, cancellationToken).ConfigureAwait(false);
        }
        catch (PrimaryUnavailableException)
        {
            // The analysis is stored and readable; a name that cannot be written now must not fail the upload (a later
            // upload of the same bytes with a name gives it one).
            return analysis;
        }

        _cache.Invalidate(id);
        if (named)
        {
            await _regions.ReplicateToAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            // Not cached: a store that reads from a standby may not show the name for a moment.
            return Uncached(analysis.Stored with { Name = name });
        }

        return await GetAsync(id, cancellationToken).ConfigureAwait(false) ?? analysis;
    }

    public async Task<ServedAnalysis?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(id, out var cached))
        {
            return cached;
        }
        var readAt = _cache.Generation;
        var stored = await _store.GetAnalysisAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : Serve(stored, readAt);
    }

    /// <summary>Whether an older engine than this one made the stored result.</summary>
    public static bool IsStale(StoredAnalysis stored) => EngineVersions.IsOlder(stored.EngineVersion, AnalysisEngine.Version);

    /// <summary>
    /// Analyses the bytes again with this engine and replaces the stored result with it (<see cref="IAnalysisStore.ReplaceAnalysisAsync"/>),
    /// in an analysis slot shared with uploads (waiting while every slot is taken). False when nothing was replaced: the result
    /// is current already, or the analysis is gone.
    /// </summary>
    public async Task<bool> ReanalyzeAsync(string id, byte[] bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await _queue.RunAsync(async cancellationToken =>
                {
                    var result = _engine.Analyze(bytes, cancellationToken);
                    _metrics.AnalysisPerformed(result.Binary.Format);
                    var analysis = new NewAnalysis(id, result.EngineVersion, result.Binary.Format, result.Binary.Arch, bytes.Length, AnalysisJson.Serialize(result), null);
                    var replaced = await _store.ReplaceAnalysisAsync(analysis, _role.Epoch, cancellationToken).ConfigureAwait(false);
                    _cache.Invalidate(id);
                    if (replaced)
                    {
                        await _regions.ReplicateToAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    return replaced;
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (QueueFullException)
            {
                // Uploads come first: a re-analysis waits for a slot instead of taking the queue's last places.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ServedAnalysis Serve(StoredAnalysis stored, long readAt)
    {
        var served = Uncached(stored);
        _cache.Put(served, readAt);
        return served;
    }

    /// <summary>The answer for an analysis as given, not put in the cache.</summary>
    private ServedAnalysis Uncached(StoredAnalysis stored) =>
        new(stored, AnalysisJsonResponse.Encode(stored.ResultJson, _region, stored.Name, IsStale(stored)));

    /// <summary>Deletes an analysis as a write of <paramref name="epoch"/> (the epoch the strong write was admitted under).</summary>
    public async Task<bool> DeleteAsync(string id, long epoch, CancellationToken cancellationToken)
    {
        var deleted = await _store.DeleteAnalysisAsync(id, epoch, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(id);
        await _regions.ReplicateToAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private async Task<ServedAnalysis> AnalyzeAndStoreAsync(string id, byte[] bytes, string? name)
    {
        return await _queue.RunAsync(async cancellationToken =>
        {
            // A racing upload may have finished and left the in-flight table just before this one arrived.
            var readAt = _cache.Generation;
            if (await _store.GetAnalysisAsync(id, cancellationToken).ConfigureAwait(false) is { } already)
            {
                return Serve(already, readAt);
            }
            var result = _engine.Analyze(bytes, cancellationToken);
            _metrics.AnalysisPerformed(result.Binary.Format);
            var json = AnalysisJson.Serialize(result);
            // Binaries above the storage limit are analysed but not kept: function disassembly then needs a re-upload.
            ReadOnlyMemory<byte>? binary = bytes.Length <= _maxBinaryBytes ? bytes : null;
            // Any region stores analyses (they depend only on the bytes), stamped with the epoch it knows.
            var analysis = new NewAnalysis(id, result.EngineVersion, result.Binary.Format, result.Binary.Arch, bytes.Length, json, binary, name);
            var savedAt = DateTimeOffset.UtcNow;
            await _store.SaveAnalysisAsync(analysis, _role.Epoch, cancellationToken).ConfigureAwait(false);
            await _regions.ReplicateToAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            readAt = _cache.Generation;
            if (await _store.GetAnalysisAsync(id, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return Serve(stored, readAt);
            }

            // A store that reads from a standby (PostgreSQL: the region's own database) may not show the write for a moment;
            // it is stored, so the answer is what was written, not cached until the standby has it.
            return Uncached(new StoredAnalysis(id, analysis.EngineVersion, analysis.Format, analysis.Arch, analysis.Size, savedAt, json, binary is not null, name));
        }, CancellationToken.None).ConfigureAwait(false);
    }
}
