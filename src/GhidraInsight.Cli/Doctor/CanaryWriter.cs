using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using GhidraInsight.Cli.Remote;

namespace GhidraInsight.Cli.Doctor;

/// <summary>
/// Writes canary annotations one after another (a strong write each, through the URL the drill was given) until stopped, and
/// keeps what happened to each: acknowledged, or refused and why. Only acknowledged canaries must survive the drill.
/// </summary>
internal sealed class CanaryWriter(RegionApi api, string analysisId, string drillId)
{
    /// <summary>The pause between two writes.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one write may take before it counts as failed (its outcome is then unknown, so it is not required anywhere).</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The most canaries one drill writes (one page of annotations reads them all back).</summary>
    public const int Limit = 1000;

    private readonly List<Attempt> _attempts = [];
    private volatile bool _stopping;

    /// <summary>One write: its address, when it started and ended (stopwatch ticks), and whether it was acknowledged.</summary>
    public sealed record Attempt(string Address, string Name, long Started, long Ended, bool Acknowledged, string? Failure);

    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Writes until <see cref="Stop"/> (or <see cref="Limit"/>), never cutting a write short.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        for (var n = 1; n <= Limit && !_stopping && !cancellationToken.IsCancellationRequested; n++)
        {
            var address = "0x" + (0x1000 + n).ToString("x", CultureInfo.InvariantCulture);
            var name = $"canary-{n.ToString(CultureInfo.InvariantCulture)}";
            var started = Stopwatch.GetTimestamp();
            string? failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(api.BaseUrl, $"api/analyses/{analysisId}/annotations/{address}"))
                {
                    Content = new StringContent($"{{\"name\":\"{name}\",\"comment\":\"ghidrainsight drill {drillId}\"}}", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                };
                using var response = await api.SendRawAsync(request, WriteTimeout, CancellationToken.None);
                failure = response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failure = exception is TaskCanceledException ? "timeout" : "unreachable";
            }

            lock (_attempts)
            {
                _attempts.Add(new Attempt(address, name, started, Stopwatch.GetTimestamp(), failure is null, failure));
            }

            try
            {
                await Task.Delay(Pace, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops after the write under way.</summary>
    public void Stop() => _stopping = true;

    /// <summary>Whether a write that started after <paramref name="since"/> (stopwatch ticks) was acknowledged.</summary>
    public bool AcknowledgedSince(long since) => Attempts.Any(a => a.Acknowledged && a.Started >= since);

    /// <summary>The longest time between two acknowledged writes (from the first to the last): how long strong writes were unavailable at worst.</summary>
    public TimeSpan LongestWithoutAcknowledgement()
    {
        var ends = Attempts.Where(a => a.Acknowledged).Select(a => a.Ended).Order().ToList();
        var longest = 0L;
        for (var i = 1; i < ends.Count; i++)
        {
            longest = Math.Max(longest, ends[i] - ends[i - 1]);
        }

        return Stopwatch.GetElapsedTime(0, longest);
    }
}
