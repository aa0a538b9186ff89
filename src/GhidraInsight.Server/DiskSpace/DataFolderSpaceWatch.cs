using GhidraInsight.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.DiskSpace;

/// <summary>
/// Samples the data folder's free space every <see cref="Interval"/>, so uploads are refused before a write fails, and says it in
/// the log once per change of state (low, enough again, unreadable), not once per request.
/// </summary>
internal sealed class DataFolderSpaceWatch(DataFolderSpace space, TimeProvider time, ILogger<DataFolderSpaceWatch> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private enum State
    {
        Unknown,
        Enough,
        Low,
        Unreadable,
    }

    private State _state = State.Unknown;

    /// <summary>Samples once and logs when the state changed; the start samples before the region serves.</summary>
    internal void SampleOnce()
    {
        State next;
        try
        {
            next = space.Sample() ? State.Low : State.Enough;
        }
        catch (IOException exception)
        {
            if (_state != State.Unreadable)
            {
                Log.FreeSpaceUnreadable(logger, exception.Message);
            }
            _state = State.Unreadable;
            return;
        }

        if (next == _state)
        {
            return;
        }
        var free = space.FreeBytes ?? 0;
        if (next == State.Low)
        {
            Log.FreeSpaceLow(logger, space.Folder, GhidraInsight.Http.Problems.StorageFullAnswer.Mib(free), GhidraInsight.Http.Problems.StorageFullAnswer.Mib(space.ReserveBytes));
        }
        else if (_state is State.Low)
        {
            Log.FreeSpaceRecovered(logger, space.Folder, GhidraInsight.Http.Problems.StorageFullAnswer.Mib(free));
        }
        _state = next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            SampleOnce();
            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
