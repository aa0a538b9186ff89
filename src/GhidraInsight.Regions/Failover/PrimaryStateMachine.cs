using System.Buffers;
using System.Text.Json;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace GhidraInsight.Regions.Failover;

/// <summary>Where the state machine keeps its snapshots, and which regions may be primary.</summary>
internal sealed record PrimaryStateMachineOptions(string SnapshotDirectory, IReadOnlyList<string> Regions);

/// <summary>
/// Applies committed <see cref="PrimaryCommand"/>s in log order. A command takes effect only when its expected epoch is the
/// current one and its target is another known region, so every region computes the same history from the same log.
/// </summary>
internal sealed class PrimaryStateMachine : SimpleStateMachine
{
    /// <summary>Older changes are dropped from the history beyond this many (the epoch keeps counting).</summary>
    internal const int HistoryLimit = 200;

    private readonly IReadOnlyList<string> _regions;
    private volatile PrimaryState _state;

    public PrimaryStateMachine(PrimaryStateMachineOptions options)
        : base(new DirectoryInfo(options.SnapshotDirectory))
    {
        _regions = options.Regions;
        _state = PrimaryState.Unelected;
    }

    /// <summary>The state after the last applied entry.</summary>
    public PrimaryState State => _state;

    /// <summary>Raised after an entry changed the state (on the applying thread; handlers must be quick).</summary>
    public event Action<PrimaryState>? Changed;

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        // Configuration entries and the no-op a new leader appends carry no command.
        if (entry.IsConfiguration || !entry.TryGetPayload(out var payload) || payload.IsEmpty)
        {
            return new(false);
        }

        var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        if (PrimaryCommand.Parse(bytes) is { } command && Apply(_state, command, _regions) is { } next)
        {
            _state = next;
            Changed?.Invoke(next);
        }

        // Snapshots keep the log short; the state is tiny.
        return new(entry.Index % 32 == 0);
    }

    /// <summary>The state after <paramref name="command"/>, or null when it does not apply (stale epoch, unknown or same region).</summary>
    internal static PrimaryState? Apply(PrimaryState state, PrimaryCommand command, IReadOnlyList<string> regions)
    {
        if (command.ExpectedEpoch != state.Epoch || command.To == state.Primary || !regions.Contains(command.To))
        {
            return null;
        }

        if (!state.HasPrimary)
        {
            // The group's first primary: not a failover.
            return new PrimaryState(command.To, state.Epoch + 1, state.History);
        }

        var record = new FailoverRecord(DateTimeOffset.FromUnixTimeMilliseconds(command.AtUnixMs), state.Primary, command.To, state.Epoch + 1, command.Reason);
        var history = state.History.Count >= HistoryLimit ? state.History.Skip(state.History.Count - HistoryLimit + 1) : state.History;
        return new PrimaryState(command.To, state.Epoch + 1, [.. history, record]);
    }

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        await using var stream = snapshotFile.OpenRead();
        if (await JsonSerializer.DeserializeAsync(stream, PrimaryJsonContext.Default.PrimaryState, token).ConfigureAwait(false) is { } restored)
        {
            _state = restored;
        }
    }

    protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token) =>
        writer.Invoke(JsonSerializer.SerializeToUtf8Bytes(_state, PrimaryJsonContext.Default.PrimaryState), token);
}
