using GhidraInsight.Http.Tls;

namespace GhidraInsight.Cli.Up;

/// <summary>
/// Runs the regions of a <see cref="ClusterPlan"/> and then the gateway as child processes: starts them, reports each when
/// ready, reports one that exits (the others keep running), restarts those that exited when asked (SIGUSR1), passes SIGHUP on,
/// and stops them all with SIGTERM when asked.
/// </summary>
internal sealed class EmbeddedCluster(ClusterPlan plan)
{
    private IReadOnlyList<RegionProcess> _children = [];
    private readonly System.Threading.Channels.Channel<bool> _restarts = System.Threading.Channels.Channel.CreateUnbounded<bool>();

    /// <summary>Restarts every region (and the gateway) that exited, as an operator's SIGUSR1 to up (or <c>drill --kill</c>) asks.</summary>
    public void RestartExited() => _restarts.Writer.TryWrite(true);

    /// <summary>Asks every running region and the gateway to reload its configuration (SIGHUP to each), as an operator's SIGHUP to up means.</summary>
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
        if (plan.Engines is { } engines)
        {
            string? problem;
            try
            {
                problem = await engines.StartAsync(StartTimeout, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await engines.StopAsync();
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                problem = $"the databases could not be prepared: {e.Message}";
            }

            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {problem}; stopping them");
                await engines.StopAsync();
                return ExitCodes.Failure;
            }
        }

        var children = plan.Regions.Select(r => RegionProcess.Start(r.Region, r.ConfigPath)).ToList();
        Volatile.Write(ref _children, children.ToList());
        try
        {
            var ready = await Task.WhenAll(children.Select(c => c.WaitUntilReadyAsync(StartTimeout, cancellationToken)));
            if (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM while starting: stop cleanly.
                return ExitCodes.Success;
            }

            for (var i = 0; i < children.Count; i++)
            {
                if (ready[i] is null)
                {
                    if (await StoppingAsync(cancellationToken))
                    {
                        return ExitCodes.Success;
                    }

                    await Console.Error.WriteLineAsync($"ghidrainsight: region {children[i].Region} did not start (see its lines above); stopping the others");
                    return ExitCodes.Failure;
                }
                await Console.Out.WriteLineAsync(plan.Engines is null
                    ? $"{children[i].Region} ready on {ready[i]} (data in {Path.Combine(plan.DataDirectory, children[i].Region)})"
                    : $"{children[i].Region} ready on {ready[i]} (data in PostgreSQL, binaries in {Path.Combine(plan.DataDirectory, children[i].Region)})");
            }

            // The gateway last: it probes the regions before it listens, so its first request already has somewhere to go.
            var gateway = RegionProcess.StartGateway(plan.GatewayConfigPath);
            children.Add(gateway);
            Volatile.Write(ref _children, children.ToList());
            var gatewayAddress = await gateway.WaitUntilReadyAsync(StartTimeout, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }

            if (gatewayAddress is null)
            {
                if (await StoppingAsync(cancellationToken))
                {
                    return ExitCodes.Success;
                }

                await Console.Error.WriteLineAsync("ghidrainsight: the gateway did not start (see its lines above); stopping the regions");
                return ExitCodes.Failure;
            }
            await Console.Out.WriteLineAsync($"gateway ready on {gatewayAddress} (in front of {plan.Regions.Count} regions)");

            // From here on a process that exits is reported at once, also while the others are still coming up.
            var supervision = SuperviseAsync(children, cancellationToken);
            // Up means every region sees every other, the gateway sees every region, and the primary the regions elected (a failover
            // survives restarts) accepts strong writes.
            string? primary;
            // With --tls, up itself trusts the CA it made, as its regions do.
            var handler = plan.Tls is { } tls
                ? new PeerTls(tls.CaFile, null, null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Apply(new SocketsHttpHandler())
                : null;
            using var readiness = new ClusterReadiness([.. ready.OfType<Uri>()], gatewayAddress, TimeProvider.System, handler);
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
            await Console.Out.WriteLineAsync($"GhidraInsight is {state} at {gatewayAddress} (the gateway): {plan.Regions.Count} regions, primary {primary ?? "not elected yet"}. "
                + $"Open {gatewayAddress} in a browser for the dashboard (each region's own at /dashboard). "
                + $"Each region answers directly too; `ghidrainsight doctor --url {gatewayAddress}` checks them all.");
            if (plan.Tls is { } certificates)
            {
                await Console.Out.WriteLineAsync($"HTTPS with a throwaway CA: trust {certificates.CaFile} (curl --cacert, or SSL_CERT_FILE for ghidrainsight regions/failover).");
            }
            await Console.Out.FlushAsync(cancellationToken);
            await supervision;
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM while starting: stop cleanly below.
            return ExitCodes.Success;
        }
        finally
        {
            // The gateway first, so nothing is sent to a region that is already stopping.
            await Task.WhenAll(children.Where(c => c.Region == "gateway").Select(c => c.StopAsync(StopGrace)));
            await Task.WhenAll(children.Select(c => c.StopAsync(StopGrace)));
            foreach (var child in children)
            {
                child.Dispose();
            }
            if (plan.Engines is { } databases)
            {
                // The databases last: the regions wrote to them until they stopped.
                await databases.StopAsync();
                await Console.Error.WriteLineAsync("ghidrainsight: the gateway, every region, Patroni, PostgreSQL and etcd stopped");
            }
            else
            {
                await Console.Error.WriteLineAsync("ghidrainsight: the gateway and every region stopped");
            }
        }
    }

    /// <summary>
    /// Whether up is being stopped: a terminal's Ctrl+C reaches the children too, and one may end before up itself hears of it,
    /// so a child that stopped before it was ready is a failure only if no stop arrives within a second.
    /// </summary>
    private static async Task<bool> StoppingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>
    /// Until cancelled: report each region that exits (the rest keep serving), and on request start again those that exited,
    /// in place in <paramref name="children"/> (so a stop reaches them).
    /// </summary>
    private async Task SuperviseAsync(List<RegionProcess> children, CancellationToken cancellationToken)
    {
        var running = children.ToDictionary(c => c.Process.WaitForExitAsync(CancellationToken.None), c => c);
        var stop = Task.Delay(Timeout.Infinite, cancellationToken);
        var restart = _restarts.Reader.ReadAsync(CancellationToken.None).AsTask();
        while (true)
        {
            var finished = await Task.WhenAny(running.Keys.Append(stop).Append(restart));
            if (finished == stop)
            {
                return;
            }

            if (finished == restart)
            {
                while (_restarts.Reader.TryRead(out _))
                {
                }
                restart = _restarts.Reader.ReadAsync(CancellationToken.None).AsTask();
                foreach (var again in await RestartExitedAsync(children, cancellationToken))
                {
                    running[again.Process.WaitForExitAsync(CancellationToken.None)] = again;
                }
                continue;
            }

            var child = running[finished];
            running.Remove(finished);
            await Console.Error.WriteLineAsync(child.Region == "gateway"
                ? $"ghidrainsight: the gateway exited with code {child.Process.ExitCode}; the regions keep running. Restart it with: kill -USR1 {Environment.ProcessId} (up restarts what exited)"
                : $"ghidrainsight: region {child.Region} exited with code {child.Process.ExitCode}; the other regions keep running. Restart it with: kill -USR1 {Environment.ProcessId} (up restarts what exited)");
        }
    }

    /// <summary>Starts again each child that exited and waits until it is ready; the ones that came back.</summary>
    private async Task<List<RegionProcess>> RestartExitedAsync(List<RegionProcess> children, CancellationToken cancellationToken)
    {
        var started = new List<RegionProcess>();
        for (var i = 0; i < children.Count; i++)
        {
            if (!children[i].Process.HasExited)
            {
                continue;
            }

            var again = children[i].Restart();
            children[i].Dispose();
            children[i] = again;
            Volatile.Write(ref _children, children.ToList());
            var address = await again.WaitUntilReadyAsync(StartTimeout, cancellationToken);
            await Console.Out.WriteLineAsync(address is null
                ? $"{again.Region} did not start again (see its lines above)"
                : $"{again.Region} restarted, ready on {address}");
            started.Add(again);
        }

        return started;
    }
}
