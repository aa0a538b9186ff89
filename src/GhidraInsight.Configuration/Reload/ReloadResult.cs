namespace GhidraInsight.Configuration;

/// <summary>
/// What a reload came to. Refused when any source holds a problem (<see cref="Errors"/>, one line each, as at start):
/// then nothing changed. Accepted otherwise: the reloadable keys in <see cref="AppliedKeys"/> took their new values, and
/// the keys in <see cref="RestartRequiredKeys"/> changed in the sources but keep their running values until a restart.
/// </summary>
public sealed class ReloadResult
{
    internal ReloadResult(ReloadTrigger trigger, GhidraOptions current, IReadOnlyList<string> errors, IReadOnlyList<string> appliedKeys,
        IReadOnlyList<string> restartRequiredKeys)
    {
        Trigger = trigger;
        Current = current;
        Errors = errors;
        AppliedKeys = appliedKeys;
        RestartRequiredKeys = restartRequiredKeys;
    }

    /// <summary>What started the reload.</summary>
    public ReloadTrigger Trigger { get; }

    /// <summary>Whether the sources were valid; when not, the running configuration stayed as it was.</summary>
    public bool Accepted => Errors.Count == 0;

    /// <summary>The problems that refused the reload, one line each; empty when accepted.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Dotted keys that took new values.</summary>
    public IReadOnlyList<string> AppliedKeys { get; }

    /// <summary>Dotted keys whose new values wait for a restart (they are not reloadable).</summary>
    public IReadOnlyList<string> RestartRequiredKeys { get; }

    /// <summary>The running options after the reload.</summary>
    public GhidraOptions Current { get; }
}
