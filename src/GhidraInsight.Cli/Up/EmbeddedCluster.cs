namespace GhidraInsight.Cli.Up;

/// <summary>
/// Runs the regions of a <see cref="ClusterPlan"/> as child processes: starts them, reports each when ready, reports a
/// region that exits (the others keep running), and stops them all with SIGTERM when asked.
/// </summary>
internal sealed class EmbeddedCluster(ClusterPlan plan)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        plan.WriteConfigs();
        var children = plan.Regions.Select(r => RegionProcess.Start(r.Region, r.ConfigPath)).ToList();
        try
        {
            var ready = await Task.WhenAll(children.Select(c => c.WaitUntilReadyAsync(StartTimeout, cancellationToken)));
            for (var i = 0; i < children.Count; i++)
            {
                if (ready[i] is null)
                {
                    await Console.Error.WriteLineAsync($"ghidrainsight: region {children[i].Region} did not start (see its lines above); stopping the others");
                    return ExitCodes.Failure;
                }
                await Console.Out.WriteLineAsync($"{children[i].Region} ready on {ready[i]} (data in {Path.Combine(plan.DataDirectory, children[i].Region)})");
            }
            // The primary is whoever the regions' election says (a failover survives restarts), once it accepts strong writes.
            string? primary;
            try
            {
                primary = await WaitForPrimaryAsync(ready!, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM before the election finished: stop cleanly.
                return ExitCodes.Success;
            }
            var primaryText = primary is null ? "not elected yet (see `ghidrainsight regions`)" : primary;
            await Console.Out.WriteLineAsync($"GhidraInsight is up: {children.Count} regions, primary {primaryText}. API: {ready[0]}  (the gateway and dashboard on one address are not available yet)");
            await Console.Out.FlushAsync(cancellationToken);
            await SuperviseAsync(children, cancellationToken);
            return ExitCodes.Success;
        }
        finally
        {
            await Task.WhenAll(children.Select(c => c.StopAsync(StopGrace)));
            foreach (var child in children)
            {
                child.Dispose();
            }
            await Console.Error.WriteLineAsync("ghidrainsight: all regions stopped");
        }
    }

    /// <summary>The region whose <c>/health</c> says it accepts strong writes, within <see cref="StartTimeout"/>; null if none does.</summary>
    private static async Task<string?> WaitForPrimaryAsync(IReadOnlyList<Uri?> addresses, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var address in addresses.OfType<Uri>())
            {
                try
                {
                    var health = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(address, "/health"), cancellationToken));
                    if ((bool?)health?["accepting_strong_writes"] == true)
                    {
                        return (string?)health["region"];
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
                {
                }
            }
            await Task.Delay(100, cancellationToken);
        }
        return null;
    }

    /// <summary>Until cancelled: report each region that exits; the rest keep serving.</summary>
    private static async Task SuperviseAsync(List<RegionProcess> children, CancellationToken cancellationToken)
    {
        var running = children.ToDictionary(c => c.Process.WaitForExitAsync(CancellationToken.None), c => c);
        var stop = Task.Delay(Timeout.Infinite, cancellationToken);
        while (true)
        {
            var finished = await Task.WhenAny(running.Keys.Append(stop));
            if (finished == stop)
            {
                return;
            }
            var child = running[finished];
            running.Remove(finished);
            await Console.Error.WriteLineAsync($"ghidrainsight: region {child.Region} exited with code {child.Process.ExitCode}; the other regions keep running. Restart it with: ghidrainsight serve --config {child.Region}/config.yaml (in the data folder)");
            if (running.Count == 0)
            {
                await stop.ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
        }
    }
}
