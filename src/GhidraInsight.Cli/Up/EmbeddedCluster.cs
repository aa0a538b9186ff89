namespace GhidraInsight.Cli.Up;

/// <summary>
/// Runs the regions of a <see cref="ClusterPlan"/> as child processes: starts them, reports each when ready, reports a
/// region that exits (the others keep running), and stops them all with SIGTERM when asked.
/// </summary>
internal sealed class EmbeddedCluster(ClusterPlan plan)
{
    private IReadOnlyList<RegionProcess> _children = [];

    /// <summary>Asks every running region to reload its configuration (SIGHUP to each), as an operator's SIGHUP to up means.</summary>
    public void ReloadRegions()
    {
        foreach (var child in Volatile.Read(ref _children).Where(c => !c.Process.HasExited))
        {
            Signals.Hangup(child.Process.Id);
        }
    }

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        plan.WriteConfigs();
        var children = plan.Regions.Select(r => RegionProcess.Start(r.Region, r.ConfigPath)).ToList();
        Volatile.Write(ref _children, children);
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
            // From here on a region that exits is reported at once, also while the others are still coming up.
            var supervision = SuperviseAsync(children, cancellationToken);
            // Up means every region sees every other, and the primary the regions elected (a failover survives restarts) accepts
            // strong writes.
            string? primary;
            using var readiness = new ClusterReadiness([.. ready.OfType<Uri>()], TimeProvider.System);
            try
            {
                primary = await readiness.WaitAsync(StartTimeout, () => children.Any(c => c.Process.HasExited), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM before the regions were up: stop cleanly.
                await supervision;
                return ExitCodes.Success;
            }
            if (primary is null)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: the regions run but are not up: {readiness.LastProblem}; see `ghidrainsight regions`");
            }
            var state = primary is null ? "running, not up" : "up";
            await Console.Out.WriteLineAsync($"GhidraInsight is {state}: {children.Count} regions, primary {primary ?? "not elected yet"}. API: {ready[0]}  (the gateway and dashboard on one address are not available yet)");
            await Console.Out.FlushAsync(cancellationToken);
            await supervision;
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
