using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Health;

/// <summary>The lag samples the dashboard's chart draws from (kept by <c>LagSampler</c> in a region, by the probes in the gateway).</summary>
public sealed class LagHistoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void At_most_one_sample_is_kept_per_spacing_and_the_first_after_it_is_kept()
    {
        var history = new LagHistory(_time);
        var start = _time.GetUtcNow();

        history.Record(Lag(1));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        history.Record(Lag(2));
        _time.Advance(LagHistory.Spacing - TimeSpan.FromMilliseconds(501));
        history.Record(Lag(3));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        history.Record(Lag(4));

        Assert.Equal([(start, 1.0), (start + LagHistory.Spacing, 4.0)], history.Samples().Select(s => (s.At, s.LagMs["a→b"])));
    }

    [Fact]
    public void A_sample_older_than_the_window_is_dropped_when_a_newer_one_is_recorded()
    {
        var history = new LagHistory(_time);
        history.Record(Lag(1));
        _time.Advance(TimeSpan.FromMinutes(6));
        history.Record(Lag(2));

        _time.Advance(LagHistory.Window - TimeSpan.FromMinutes(6) + TimeSpan.FromMilliseconds(1));
        history.Record(Lag(3));

        Assert.Equal([2.0, 3.0], history.Samples().Select(s => s.LagMs["a→b"]));
    }

    [Fact]
    public void A_sample_older_than_the_window_is_not_returned_even_when_nothing_newer_was_recorded()
    {
        var history = new LagHistory(_time);
        history.Record(Lag(1));
        _time.Advance(TimeSpan.FromMinutes(6));
        history.Record(Lag(2));

        // The recorder stopped (a region whose store fails records nothing): what is past the window still goes.
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal([2.0], history.Samples().Select(s => s.LagMs["a→b"]));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(history.Samples());
    }

    [Fact]
    public void Samples_since_a_moment_are_only_those_taken_after_it_oldest_first()
    {
        var history = new LagHistory(_time);
        var taken = new List<DateTimeOffset>();
        for (var i = 1; i <= 4; i++)
        {
            taken.Add(_time.GetUtcNow());
            history.Record(Lag(i));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([1.0, 2.0, 3.0, 4.0], history.Samples().Select(s => s.LagMs["a→b"]));
        Assert.Equal([1.0, 2.0, 3.0, 4.0], history.Samples(taken[0] - TimeSpan.FromTicks(1)).Select(s => s.LagMs["a→b"]));
        Assert.Equal([3.0, 4.0], history.Samples(taken[1]).Select(s => s.LagMs["a→b"]));
        Assert.Equal([4.0], history.Samples(taken[2] + TimeSpan.FromMilliseconds(500)).Select(s => s.LagMs["a→b"]));
        Assert.Empty(history.Samples(taken[3]));
        Assert.Empty(history.Samples(_time.GetUtcNow().AddHours(1)));
    }

    [Fact]
    public void A_round_with_no_links_to_report_is_still_recorded_as_an_empty_sample()
    {
        var history = new LagHistory(_time);

        history.Record(new Dictionary<string, double>());

        Assert.Empty(Assert.Single(history.Samples()).LagMs);
    }

    private static Dictionary<string, double> Lag(double ms) => new() { [LagSample.Link("a", "b")] = ms };
}
