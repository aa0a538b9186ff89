using System.Globalization;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>One region process that <c>up</c> started, found among up's children by the config file it serves.</summary>
internal sealed class UpRegion : IRegionUnderTest, IDisposable
{
    private readonly UpProcess _up;

    public UpRegion(UpProcess up, string data, string name, int port)
    {
        _up = up;
        Name = name;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(30) };
        var config = Path.Combine(data, name, "config.yaml");
        Pid = up.ChildPids().Single(pid => File.Exists($"/proc/{pid}/cmdline")
            && File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(config));
    }

    public string Name { get; }

    public HttpClient Client { get; }

    /// <summary>While the region process runs (tests on up kill engines, not regions).</summary>
    public bool Running => Directory.Exists($"/proc/{Pid}");

    public int Pid { get; }

    /// <summary>Everything up logged: its regions' and engines' lines.</summary>
    public string Log => _up.Stderr;

    public void Dispose() => Client.Dispose();
}
