using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>An acknowledged strong write: an annotation PUT that answered 200/201.</summary>
internal sealed record StrongAck(int Sequence, ulong Address, string Name, long Epoch, long Version, long BaseVersion, string AcceptedBy, string Asked);

/// <summary>
/// What the fault tests run during a fault: one sequential writer of strong writes (annotations on a dozen keys, asked of
/// each running region in turn, so writes reach the primary directly and through forwarding), a writer of replicated writes
/// (uploads), and a sampler of every region's epoch. <see cref="CheckAsync"/> then asserts the safety properties.
/// </summary>
internal sealed class FaultWorkload
{
    private const int Keys = 12;
    private readonly Func<IReadOnlyList<IRegionUnderTest>> _regions;
    private readonly Func<string> _logs;
    private readonly string _analysisId;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<StrongAck> _acks = [];
    /// <summary>Acknowledged uploads, with the region that acknowledged them.</summary>
    private readonly ConcurrentBag<(string Id, string Region)> _uploads = [];
    private readonly ConcurrentDictionary<(string Region, int Pid), List<long>> _epochs = new();
    private int _attempts;

    private FaultWorkload(Func<IReadOnlyList<IRegionUnderTest>> regions, Func<string> logs, string analysisId)
    {
        _regions = regions;
        _logs = logs;
        _analysisId = analysisId;
    }

    public IReadOnlyList<StrongAck> Acks
    {
        get
        {
            lock (_acks)
            {
                return [.. _acks];
            }
        }
    }

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The acknowledged strong writes after <paramref name="sequence"/>.</summary>
    public int AcksAfter(int sequence) => Acks.Count(a => a.Sequence > sequence);

    public static Task<FaultWorkload> StartAsync(TestCluster cluster) =>
        StartAsync(() => [.. cluster.DataNodes], () => string.Join("\n", cluster.Nodes.Select(n => $"--- {n.Name}:\n{Tail(n.Log)}")));

    /// <summary>The workload on the data regions <paramref name="regions"/> returns (asked each time: they may be restarted).</summary>
    public static async Task<FaultWorkload> StartAsync(Func<IReadOnlyList<IRegionUnderTest>> regions, Func<string> logs)
    {
        var id = await ReplicationTests.UploadAsync(regions()[0], Samples.ProgramElf);
        // Strong writes need the analysis at whichever region is primary, now and after failovers.
        foreach (var node in regions())
        {
            Assert.True(await TestCluster.EventuallyAsync(async () => (await node.Client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode, TimeSpan.FromSeconds(30)));
        }
        var workload = new FaultWorkload(regions, logs, id);
        workload._loops.Add(workload.StrongLoopAsync());
        workload._loops.Add(workload.UploadLoopAsync());
        workload._loops.Add(workload.SampleLoopAsync());
        return workload;
    }

    /// <summary>Waits until at least <paramref name="count"/> more strong writes were acknowledged (false on timeout).</summary>
    public Task<bool> WaitForAcksAsync(int count, TimeSpan timeout)
    {
        var target = Acks.Count + count;
        return TestCluster.EventuallyAsync(() => Task.FromResult(Acks.Count >= target), timeout);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    private async Task StrongLoopAsync()
    {
        var sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            sequence++;
            var running = _regions().Where(n => n.Running).ToArray();
            if (running.Length == 0)
            {
                await Pause();
                continue;
            }
            var node = running[sequence % running.Length];
            var address = 0x1000UL + (ulong)(sequence % Keys) * 0x10;
            var name = "w" + sequence.ToString(CultureInfo.InvariantCulture);
            Interlocked.Increment(ref _attempts);
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                // Short: a frozen region must not slow the writer down much (a timed-out write counts as not acknowledged).
                deadline.CancelAfter(TimeSpan.FromSeconds(1));
                using var response = await node.Client.PutAsJsonAsync($"api/analyses/{_analysisId}/annotations/0x{address:x}", new { name }, deadline.Token);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
                {
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(deadline.Token))!;
                    var ack = new StrongAck(sequence, address, name, (long)body["epoch"]!, (long)body["version"]!, (long?)body["base_version"] ?? 0,
                        response.Headers.GetValues("X-Ghidra-Accepted-By").Single(), node.Name);
                    lock (_acks)
                    {
                        _acks.Add(ack);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
            }
            await Pause();
        }
    }

    private async Task UploadLoopAsync()
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            var running = _regions().Where(node => node.Running).ToArray();
            if (running.Length > 0)
            {
                var node = running[n % running.Length];
                var bytes = Samples.Variant(5000 + n++);
                try
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    deadline.CancelAfter(TimeSpan.FromSeconds(3));
                    using var content = new ByteArrayContent(bytes);
                    content.Headers.ContentType = new("application/octet-stream");
                    using var response = await node.Client.PostAsync("api/analyze", content, deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        _uploads.Add(((string)JsonNode.Parse(await response.Content.ReadAsStringAsync(deadline.Token))!["analysis_id"]!, node.Name));
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                }
            }
            await Pause(200);
        }
    }

    private async Task SampleLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var node in _regions().Where(n => n.Running))
            {
                var pid = node.Pid;
                if (await node.HealthAsync() is { } health && health["epoch"] is JsonValue epoch)
                {
                    _epochs.GetOrAdd((node.Name, pid), _ => []).Add(epoch.GetValue<long>());
                }
            }
            await Pause(100);
        }
    }

    private async Task Pause(int milliseconds = 20)
    {
        try
        {
            await Task.Delay(milliseconds, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// After the faults are healed and the workload stopped: waits until every running region holds the same annotations and
    /// every upload a running region acknowledged (a region still down may hold some it had not sent yet), then asserts (1) at
    /// most one region accepted strong writes per epoch, (2) epochs only grew — per region process, and along the sequential
    /// writer's acknowledgements, (3) every acknowledged strong write is present,
    /// or superseded by a write that saw it, or (<paramref name="sync"/> false) kept as a conflict record somewhere.
    /// </summary>
    public async Task CheckAsync(bool sync)
    {
        var acks = Acks;
        var running = _regions().Where(n => n.Running).ToArray();
        Dictionary<string, string> views = [];
        var converged = await TestCluster.EventuallyAsync(async () =>
        {
            views.Clear();
            foreach (var node in running)
            {
                views[node.Name] = await AnnotationsAsync(node);
                // Uploads replicate asynchronously in either mode (only strong writes wait in sync mode): one acknowledged by a
                // region that is down now may not have left it yet, and is held there.
                foreach (var (id, _) in _uploads.Where(u => running.Any(n => n.Name == u.Region)))
                {
                    if ((await node.Client.GetAsync($"api/analyses/{id}")).StatusCode != HttpStatusCode.OK)
                    {
                        return false;
                    }
                }
            }
            return views.Values.Distinct().Count() == 1;
        }, TimeSpan.FromSeconds(60));
        Assert.True(converged, "regions did not converge:\n" + string.Join("\n", views.Select(v => $"{v.Key}: {v.Value}")) + "\n" + Logs());

        foreach (var epoch in acks.GroupBy(a => a.Epoch))
        {
            var acceptors = epoch.Select(a => a.AcceptedBy).Distinct().ToArray();
            Assert.True(acceptors.Length == 1, $"epoch {epoch.Key} had strong writes accepted by {string.Join(", ", acceptors)}");
        }
        for (var i = 1; i < acks.Count; i++)
        {
            Assert.True(acks[i].Epoch >= acks[i - 1].Epoch, $"write {acks[i].Sequence} was acknowledged at epoch {acks[i].Epoch} after write {acks[i - 1].Sequence} at epoch {acks[i - 1].Epoch}");
        }
        foreach (var ((region, pid), samples) in _epochs)
        {
            for (var i = 1; i < samples.Count; i++)
            {
                Assert.True(samples[i] >= samples[i - 1], $"{region} (pid {pid}) reported epoch {samples[i]} after {samples[i - 1]}");
            }
        }

        var final = JsonNode.Parse(views.Values.First())!.AsArray()
            .ToDictionary(a => Convert.ToUInt64(((string)a!["address"]!)[2..], 16), a => a!);
        var conflicts = new List<JsonNode>();
        foreach (var node in running)
        {
            var body = JsonNode.Parse(await node.Client.GetStringAsync("api/conflicts?limit=1000"))!;
            conflicts.AddRange(body["items"]!.AsArray().Select(c => c!));
        }
        foreach (var ack in acks)
        {
            var current = final[ack.Address];
            var present = (long)current["epoch"]! == ack.Epoch && (long)current["version"]! == ack.Version && (string?)current["name"] == ack.Name;
            var superseded = Descends(current, ack);
            var kept = conflicts.Any(c => (long)c["lost"]!["epoch"]! == ack.Epoch && (long)c["lost"]!["version"]! == ack.Version
                && (string?)c["lost"]!["name"] == ack.Name);
            Assert.True(present || superseded || (!sync && kept),
                $"acknowledged write {ack} is lost: key holds {current.ToJsonString()}; conflicts: {conflicts.Count}\n{Logs()}");
        }
    }

    /// <summary>
    /// Whether <paramref name="ack"/> is in the history of the final value: its lineage has a segment of the ack's epoch whose
    /// versions include the ack's (segment i covers start_i &lt; v ≤ start_i+1, the last one up to the value's own version).
    /// </summary>
    private static bool Descends(JsonNode current, StrongAck ack)
    {
        var version = (long)current["version"]!;
        var segments = current["lineage"]!.AsArray().Select(s => ((long)s![0]!, (long)s[1]!)).ToArray();
        for (var i = 0; i < segments.Length; i++)
        {
            var (epoch, startsAfter) = segments[i];
            var end = i + 1 < segments.Length ? segments[i + 1].Item2 : version;
            if (epoch == ack.Epoch && startsAfter < ack.Version && ack.Version <= end)
            {
                return true;
            }
        }
        return false;
    }

    private async Task<string> AnnotationsAsync(IRegionUnderTest node)
    {
        try
        {
            var body = JsonNode.Parse(await node.Client.GetStringAsync($"api/analyses/{_analysisId}/annotations"))!;
            var items = body["annotations"]!.AsArray().Select(a => new JsonObject
            {
                ["address"] = (string?)a!["address"],
                ["name"] = (string?)a["name"],
                ["epoch"] = (long)a["epoch"]!,
                ["version"] = (long)a["version"]!,
                ["base_version"] = (long?)a["base_version"] ?? 0,
                ["lineage"] = a["lineage"]!.DeepClone(),
            });
            return new JsonArray([.. items]).ToJsonString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return "unreachable: " + ex.Message;
        }
    }

    public string Logs() => _logs();

    /// <summary>The last 25 lines of <paramref name="log"/>.</summary>
    internal static string Tail(string log)
    {
        var lines = log.Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 25)));
    }
}
