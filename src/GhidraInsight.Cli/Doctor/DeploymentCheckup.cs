using GhidraInsight.Cli.Remote;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Cli.Doctor;

/// <summary>
/// What doctor and drill both do first: read every region's report through any region or the gateway, check the config file the
/// operator gave, and run the checks. A deployment that cannot be asked at all is one failed check that says why.
/// </summary>
internal static class DeploymentCheckup
{
    /// <summary>The checks, and the reports they were made from (null when none could be had).</summary>
    public static async Task<(IReadOnlyList<DoctorCheck> Checks, DeploymentDiagnostics? Deployment)> RunAsync(RegionApi api, string? configPath, DoctorLimits limits,
        CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync("/api/diagnostics", ContractsJsonContext.Default.DeploymentDiagnostics, cancellationToken);
        if (!answer.Succeeded || answer.Value is null)
        {
            var fix = answer.Problem?.Status is 401 or 403
                ? "doctor needs an admin API key: --api-key or GHIDRA_API_KEY"
                : answer.Reached
                    ? "the region answered, but not with diagnostics: it may run an older version; upgrade it"
                    : $"check that a region or the gateway runs at {api.BaseUrl} (--url, GHIDRA_URL)";
            return ([new DoctorCheck("reachability", false, answer.Failure ?? "no report came back", fix)], null);
        }

        return (DoctorChecks.Run(answer.Value, LocalConfiguration(configPath), configPath, limits), answer.Value);
    }

    /// <summary>The problems of the config file (and GHIDRA_* variables) at <paramref name="path"/>; null when no file was named.</summary>
    private static List<string>? LocalConfiguration(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            ConfigLoader.Load(ConfigSources.FromProcess(path));
            return [];
        }
        catch (ConfigurationException exception)
        {
            return [.. exception.Errors];
        }
    }
}
