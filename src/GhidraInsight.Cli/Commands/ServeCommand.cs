using System.CommandLine;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Hosting;

namespace GhidraInsight.Cli.Commands;

/// <summary><c>ghidrainsight serve [--config FILE] [--port N] [--data DIR] [--host ADDR]</c>: run one region until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "config.yaml to read (default: the GHIDRA_CONFIG environment variable, else built-in defaults)." };
        var port = new Option<int?>("--port") { Description = "Port to listen on (server.port; 0 picks a free one)." };
        var data = new Option<string?>("--data") { Description = "Data folder of this region (storage.data_dir)." };
        var host = new Option<string?>("--host") { Description = "Address to listen on (server.host); beyond loopback needs API keys." };
        var command = new Command("serve", "Run one region: the HTTP API on 127.0.0.1:3101 by default.") { config, port, data, host };
        command.SetAction((parse, cancellationToken) =>
        {
            var flags = new Dictionary<string, string>();
            if (parse.GetValue(port) is { } p)
            {
                flags["server.port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (parse.GetValue(data) is { } d)
            {
                flags["storage.data_dir"] = d;
            }
            if (parse.GetValue(host) is { } h)
            {
                flags["server.host"] = h;
            }
            return RunAsync(parse.GetValue(config), flags, cancellationToken);
        });
        return command;
    }

    private static Task<int> RunAsync(string? configPath, Dictionary<string, string> flags, CancellationToken cancellationToken) =>
        ConfiguredRun.RunAsync(configPath, flags, configuration => RunAsync(configuration, cancellationToken));

    private static async Task<int> RunAsync(GhidraConfiguration configuration, CancellationToken cancellationToken)
    {
        var options = configuration.Current;
        RegionHost host;
        try
        {
            host = await RegionHost.StartAsync(configuration, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
            or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or GhidraInsight.Storage.StoreUnavailableException)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: cannot start region {options.Region.CurrentRegion}: {ex.Message}");
            return ExitCodes.Failure;
        }
        await using (host)
        {
            var data = options.Storage.IsPostgres
                ? $"data in PostgreSQL at {new Npgsql.NpgsqlConnectionStringBuilder(options.Storage.ConnectionString).Host}, binaries in {Path.GetFullPath(options.Storage.DataDir)}"
                : $"data in {Path.GetFullPath(options.Storage.DataDir)}";
            await Console.Out.WriteLineAsync($"region {options.Region.CurrentRegion} listening on {host.Address} ({data})");
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await host.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop cleanly below.
            }
        }
        await Console.Error.WriteLineAsync($"ghidrainsight: region {options.Region.CurrentRegion} stopped");
        return ExitCodes.Success;
    }
}
