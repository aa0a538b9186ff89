using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using GhidraInsight.Cli.Up;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// <c>ghidrainsight up [--data DIR] [--region-port 3101] [--regions a,b,c] [--storage sqlite|postgres]</c>: every region on this
/// machine as its own process — SQLite each (the embedded default), or PostgreSQL under Patroni and etcd — until Ctrl+C or SIGTERM.
/// </summary>
internal static partial class UpCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder (one subfolder per region, the shared secret, each region's config.yaml).", DefaultValueFactory = _ => "./data" };
        var port = new Option<int>("--port") { Description = "Port of the gateway, the one address in front of every region.", DefaultValueFactory = _ => 3000 };
        var regionPort = new Option<int>("--region-port") { Description = "Port of the first region; the others follow.", DefaultValueFactory = _ => 3101 };
        var regions = new Option<string>("--regions") { Description = "Region names, comma-separated; the first is primary.", DefaultValueFactory = _ => "us-east-1,eu-west-1,ap-south-1" };
        var storage = new Option<string>("--storage")
        {
            Description = "sqlite: each region its own SQLite file, replicated by the regions. postgres: PostgreSQL under Patroni and etcd on this machine (needs patroni, etcd-server, postgresql).",
            DefaultValueFactory = _ => "sqlite",
        };
        var tls = new Option<bool>("--tls")
        {
            Description = "HTTPS for the gateway and every region, mutual TLS between regions, from a throwaway CA made under DATA/tls (clients trust DATA/tls/ca.crt).",
        };
        var command = new Command("up", "Run every region on this machine (one process each) and the gateway in front of them, until Ctrl+C.") { data, port, regionPort, regions, storage, tls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var names = parse.GetValue(regions)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var first = parse.GetValue(regionPort);
            var bad = names.FirstOrDefault(n => !RegionName().IsMatch(n));
            if (names.Length == 0 || bad is not null || names.Distinct().Count() != names.Length)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: --regions needs distinct names like us-east-1 (lowercase letters, digits, hyphens){(bad is null ? "" : $"; '{bad}' is not one")}");
                return ExitCodes.Usage;
            }
            if (first is < 1 or > 65535 || first + names.Length - 1 > 65535)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: --region-port must leave room for {names.Length} consecutive ports below 65536");
                return ExitCodes.Usage;
            }
            var postgres = parse.GetValue(storage) switch
            {
                "sqlite" => false,
                "postgres" => true,
                var other => (bool?)null,
            };
            if (postgres is null)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: --storage must be sqlite or postgres, not '{parse.GetValue(storage)}'");
                return ExitCodes.Usage;
            }
            if (postgres == true && PostgresEngines.MissingTools() is { } missing)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {missing}");
                return ExitCodes.Failure;
            }
            var gatewayPort = parse.GetValue(port);
            if (gatewayPort is < 1 or > 65535 || (gatewayPort >= first && gatewayPort < first + names.Length))
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: --port must be a port from 1 to 65535 outside the regions' {first}-{first + names.Length - 1}, not {gatewayPort}");
                return ExitCodes.Usage;
            }
            var ports = names.Select((name, i) => (first + i, $"region {name}; choose others with --region-port")).Append((gatewayPort, "the gateway; choose another with --port"));
            if (postgres == true)
            {
                ports = ports.Concat(PostgresEngines.Plan(names, first).SelectMany(m => new[]
                {
                    (m.PostgresPort, $"PostgreSQL of {m.Region} (--region-port + 100)"), (m.RestPort, $"Patroni of {m.Region} (--region-port + 200)"),
                    (m.EtcdClientPort, $"etcd of {m.Region} (--region-port + 300)"), (m.EtcdPeerPort, $"etcd peers of {m.Region} (--region-port + 400)"),
                }));
            }
            if (PortCheck.FirstTaken(ports) is { } taken)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: port {taken.Port} on 127.0.0.1 is in use, and up needs it for {taken.For} (or stop what holds it)");
                return ExitCodes.Failure;
            }
            var plan = ClusterPlan.Create(parse.GetValue(data)!, names, first, gatewayPort, postgres == true, parse.GetValue(tls));
            // SIGTERM means the same as Ctrl+C: stop every region cleanly. (serve leaves SIGTERM to its web host.)
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                try
                {
                    stop.Cancel();
                }
                catch (AggregateException ex)
                {
                    // A cancellation callback failed; the stop itself went through. Never let it escape the signal handler
                    // (that would abort the process instead of stopping the regions).
                    Console.Error.WriteLine($"ghidrainsight: while stopping: {ex.InnerException?.Message ?? ex.Message}");
                }
                catch (ObjectDisposedException)
                {
                    // A signal handled while up was already finishing: everything it started has stopped.
                }
            });
            var cluster = new EmbeddedCluster(plan);
            // SIGHUP means what it means to each region: reload the configuration (DATA/<region>/config.yaml).
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                cluster.ReloadRegions();
            });
            // SIGUSR1: start again every region (and the gateway) that exited, with its own data and configuration.
            using var sigusr1 = PosixSignalRegistration.Create((PosixSignal)Signals.Sigusr1, context =>
            {
                context.Cancel = true;
                cluster.RestartExited();
            });
            return await cluster.RunAsync(stop.Token);
        });
        return command;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$")]
    private static partial Regex RegionName();
}
