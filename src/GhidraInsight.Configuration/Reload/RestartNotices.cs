namespace GhidraInsight.Configuration;

/// <summary>
/// Remembers which pending (restart-only) values were announced, so each is logged once, not at every reload while the
/// file keeps differing from the running configuration.
/// </summary>
internal sealed class RestartNotices
{
    private readonly Dictionary<ConfigName, object?> _announced = [];

    /// <summary>The keys to announce now: pending with a value not announced before. Keys no longer pending are forgotten.</summary>
    public IReadOnlyList<ConfigName> Update(IReadOnlyDictionary<ConfigName, object?> pending)
    {
        foreach (var settled in _announced.Keys.Where(k => !pending.ContainsKey(k)).ToList())
        {
            _announced.Remove(settled);
        }

        var fresh = pending.Where(p => !_announced.TryGetValue(p.Key, out var seen) || !Equals(seen, p.Value)).Select(p => p.Key).ToList();
        foreach (var key in fresh)
        {
            _announced[key] = pending[key];
        }

        return fresh;
    }
}
