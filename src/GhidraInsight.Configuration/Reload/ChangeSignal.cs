using Microsoft.Extensions.Primitives;

namespace GhidraInsight.Configuration;

/// <summary>A change token that fires once per change and is replaced by a fresh one, as configuration reload tokens are.</summary>
internal sealed class ChangeSignal
{
    private CancellationTokenSource _source = new();

    public IChangeToken Token => new CancellationChangeToken(Volatile.Read(ref _source).Token);

    /// <summary>Fires the current token (its callbacks run on this thread) after putting a fresh one in its place.</summary>
    public void Fire()
    {
        var fired = Interlocked.Exchange(ref _source, new CancellationTokenSource());
        fired.Cancel();
    }
}
