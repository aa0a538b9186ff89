using System.CommandLine;
using System.Globalization;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Hosting;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// <c>ghidrainsight gateway [--config FILE] [--port N] [--host ADDR]</c>: the global load balancer in front of the regions named by
/// the file's <c>region:</c> section (the same file a region reads), on port 3000 by default, until Ctrl+C or SIGTERM.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "config.yaml with the regions' endpoints (default: the GHIDRA_CONFIG environment variable)." };
        var port = new Option<int?>("--port") { Description = "Port to listen on (gateway.port, default 3000; 0 picks a free one)." };
        var host = new Option<string?>("--host") { Description = "Address to listen on (gateway.host); beyond loopback needs API keys." };
        var command = new Command("gateway", "Run the global load balancer: each request to the nearest healthy region, strong writes to the primary.") { config, port, host };
        command.SetAction((parse, cancellationToken) =>
        {
            var flags = new Dictionary<string, string>();
            if (parse.GetValue(port) is { } p)
            {
                flags["gateway.port"] = p.ToString(CultureInfo.InvariantCulture);
            }
            if (parse.GetValue(host) is { } h)
            {
                flags["gateway.host"] = h;
            }
            return ConfiguredRun.RunAsync(parse.GetValue(config), flags, configuration => RunAsync(configuration, cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(GhidraConfiguration configuration, CancellationToken cancellationToken)
    {
        GatewayHost gateway;
        try
        {
            gateway = await GatewayHost.StartAsync(configuration, cancellationToken: cancellationToken);
        }
        catch (ConfigurationException ex)
        {
            await ConfiguredRun.PrintAsync(ex);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: cannot start the gateway: {ex.Message}");
            return ExitCodes.Failure;
        }

        await using (gateway)
        {
            var regions = configuration.Current.Region;
            await Console.Out.WriteLineAsync($"gateway listening on {gateway.Address} (in front of {string.Join(", ", regions.Regions)})");
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await gateway.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop cleanly below.
            }
        }

        await Console.Error.WriteLineAsync("ghidrainsight: gateway stopped");
        return ExitCodes.Success;
    }
}
