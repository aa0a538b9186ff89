namespace GhidraInsight.Regions;

/// <summary>
/// A cancellation that comes when the caller's token does or <c>timeout</c> has passed on the region's
/// <see cref="TimeProvider"/> (so tests with a fake clock control it, as every other wait here).
/// </summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public Deadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        _timer = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>Cancels now (releasing whatever waits on <see cref="Token"/>).</summary>
    public Task CancelAsync() => _linked.CancelAsync();

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
