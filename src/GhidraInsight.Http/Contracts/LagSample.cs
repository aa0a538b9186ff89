namespace GhidraInsight.Http.Contracts;

/// <summary>Replication lag at one moment: milliseconds per link, keyed <c>from→to</c> (for example <c>us-east-1→eu-west-1</c>).</summary>
public sealed record LagSample(DateTimeOffset At, IReadOnlyDictionary<string, double> LagMs)
{
    /// <summary>The key of the link from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static string Link(string from, string to) => from + "→" + to;
}
