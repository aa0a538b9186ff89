using System.Runtime.InteropServices;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Logging;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// What serve and gateway share: the configuration from <c>--config</c> (else <c>GHIDRA_CONFIG</c>), the environment and flags,
/// every problem printed on its own line (exit 2), and reloads on a change of the file or on SIGHUP while the command runs.
/// </summary>
internal static class ConfiguredRun
{
    public static async Task<int> RunAsync(string? configPath, IReadOnlyDictionary<string, string> flags, Func<GhidraConfiguration, Task<int>> run)
    {
        using var logging = LoggerFactory.Create(ServiceLogging.Configure);
        GhidraConfiguration configuration;
        try
        {
            configuration = GhidraConfiguration.Load(ConfigSources.FromProcess(configPath, flags), logging.CreateLogger("GhidraInsight.Configuration"));
        }
        catch (ConfigurationException ex)
        {
            await PrintAsync(ex);
            return ExitCodes.Usage;
        }

        using (configuration)
        {
            // SIGHUP reloads the configuration (as a change of the file does); what cannot change while running waits for a restart.
            using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _ = Task.Run(configuration.Reload, CancellationToken.None);
            });
            return await run(configuration);
        }
    }

    /// <summary>Each configuration problem on its own line.</summary>
    public static async Task PrintAsync(ConfigurationException exception)
    {
        foreach (var line in exception.Errors)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: config: {line}");
        }
    }
}
