using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Configuration;

/// <summary>
/// Decides what one reload does. The sources are bound and validated as a whole; invalid, the reload is refused and every
/// problem logged. Valid, only the reloadable keys take their new values (and the result must itself be valid: new API
/// keys cannot leave a public host without keys because the host waits for a restart); any other changed key is logged
/// once as waiting for a restart and keeps its running value.
/// </summary>
internal sealed class ConfigurationReloader(ILogger logger)
{
    private readonly RestartNotices _notices = new();

    public ReloadOutcome Reload(ConfigurationSnapshot running, IConfigurationRoot root, ReloadTrigger trigger)
    {
        var (candidate, errors) = ConfigurationSnapshot.Read(root);
        var changes = new ReloadChanges();
        var merged = running;
        if (errors.Count == 0)
        {
            var options = running.Options;
            foreach (var section in OptionsSections.All)
            {
                options = section.Merge(options, candidate.Options, changes);
            }

            merged = new ConfigurationSnapshot(changes.Applied.Count > 0 ? options : running.Options,
                SettingOrigins.Merge(running.Origins, candidate.Origins, changes.KeptRunning.Keys));
            errors = OptionsValidation.Validate(merged.Options, merged.Origins);
        }

        if (errors.Count > 0)
        {
            Log.ReloadRefused(logger, trigger, errors.Count);
            foreach (var error in errors)
            {
                Log.ReloadProblem(logger, error);
            }

            return new ReloadOutcome(running, [], new ReloadResult(trigger, running.Options, errors, [], []));
        }

        foreach (var key in _notices.Update(changes.KeptRunning))
        {
            Log.RestartRequired(logger, key.Key);
        }

        var applied = changes.Applied.Select(k => k.Key).ToList();
        if (applied.Count > 0)
        {
            Log.Reloaded(logger, trigger, string.Join(", ", applied));
        }
        else if (trigger == ReloadTrigger.Requested)
        {
            // An operator's SIGHUP gets an answer; a file event that changed nothing (editors save in several steps) stays quiet.
            Log.ReloadRequestedUnchanged(logger);
        }
        else
        {
            Log.ReloadUnchanged(logger, trigger);
        }

        var changedSections = OptionsSections.All.Where(s => s.Differs(running.Options, merged.Options)).ToList();
        return new ReloadOutcome(merged, changedSections,
            new ReloadResult(trigger, merged.Options, [], applied, [.. changes.KeptRunning.Keys.Select(k => k.Key)]));
    }
}
