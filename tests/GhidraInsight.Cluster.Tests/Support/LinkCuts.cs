namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>
/// Which links between regions are cut (both directions). <see cref="RegionProxy"/> instances consult it for every new
/// connection and sever the live connections of a link when it is cut.
/// </summary>
internal sealed class LinkCuts
{
    private readonly HashSet<(string, string)> _cut = [];
    private readonly List<RegionProxy> _proxies = [];

    public void Register(RegionProxy proxy)
    {
        lock (_cut)
        {
            _proxies.Add(proxy);
        }
    }

    public bool IsCut(string a, string b)
    {
        lock (_cut)
        {
            return _cut.Contains(Key(a, b));
        }
    }

    /// <summary>Cuts the link between <paramref name="a"/> and <paramref name="b"/>: their open connections are dropped, new ones go nowhere.</summary>
    public void Cut(string a, string b)
    {
        RegionProxy[] proxies;
        lock (_cut)
        {
            _cut.Add(Key(a, b));
            proxies = [.. _proxies];
        }
        foreach (var proxy in proxies)
        {
            proxy.Sever(a, b);
        }
    }

    /// <summary>Cuts every link of <paramref name="region"/> to <paramref name="others"/>.</summary>
    public void Isolate(string region, IEnumerable<string> others)
    {
        foreach (var other in others.Where(o => o != region))
        {
            Cut(region, other);
        }
    }

    public void HealAll()
    {
        lock (_cut)
        {
            _cut.Clear();
        }
    }

    private static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
}
