namespace GhidraInsight.Server.Analyses;

/// <summary>
/// Bounded concurrency for analyses: at most <c>concurrency</c> run and <c>queueLimit</c> wait; beyond that a request
/// is refused at once (503 with Retry-After) instead of hanging.
/// </summary>
internal sealed class AnalysisQueue(int concurrency, int queueLimit)
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private int _admitted;

    /// <summary>Analyses running or waiting.</summary>
    public int Depth => Volatile.Read(ref _admitted);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > concurrency + queueLimit)
        {
            Interlocked.Decrement(ref _admitted);
            throw new QueueFullException();
        }
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }
}
