using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace GhidraInsight.Configuration;

/// <summary>
/// The running configuration, reloadable without a restart. <see cref="Current"/> is always valid: a reload (a change of
/// the config file, after a short debounce, or <see cref="Reload"/>, which the host calls on SIGHUP) re-reads every source,
/// binds and validates everything, and is refused as a whole when anything is wrong. Only the keys declared reloadable
/// (<see cref="ConfigNames.Reloadable"/>) take new values; environment variables keep the values read at start.
/// Register it with <c>services.AddGhidraOptions(configuration)</c> for <c>IOptionsMonitor</c>.
/// </summary>
public sealed class GhidraConfiguration : IDisposable, ISettingOrigins
{
    private readonly ConfigurationSourceSet _sources;
    private readonly ILogger _logger;
    private readonly ConfigurationReloader _reloader;
    private readonly Lock _gate = new();
    private readonly ChangeSignal _changed = new();
    private readonly Dictionary<IOptionsSection, ChangeSignal> _sectionChanged = OptionsSections.All.ToDictionary(s => s, _ => new ChangeSignal());
    private readonly IDisposable _sourceWatch;
    private ConfigurationSnapshot _snapshot;
    private bool _reloadingOnRequest;
    private bool _disposed;
    private ReloadResult? _lastRefused;

    private GhidraConfiguration(ConfigurationSourceSet sources, ConfigurationSnapshot snapshot, ILogger logger)
    {
        _sources = sources;
        _snapshot = snapshot;
        _logger = logger;
        _reloader = new ConfigurationReloader(logger);
        _sourceWatch = ChangeToken.OnChange(sources.Root.GetReloadToken, OnSourcesReloaded);
    }

    /// <summary>Raised after every reload, accepted or refused, with what it came to.</summary>
    public event EventHandler<ReloadResult>? Reloaded;

    /// <summary>
    /// The last reload, when it was refused: the sources hold a problem the running configuration does not have (an edit that
    /// will fail the next start). Null once a reload is accepted again, and before any.
    /// </summary>
    public ReloadResult? LastRefusedReload => Volatile.Read(ref _lastRefused);

    /// <summary>The running options: valid, and replaced as a whole when a reload changes a reloadable key.</summary>
    public GhidraOptions Current => Volatile.Read(ref _snapshot).Options;

    /// <summary>The config file as given (<c>--config</c>, else <c>GHIDRA_CONFIG</c>), or <see langword="null"/> when there is none.</summary>
    public string? ConfigPath => _sources.ConfigPath;

    /// <summary>
    /// Loads and validates as <see cref="ConfigLoader.Load"/> does, throwing <see cref="ConfigurationException"/> listing every
    /// problem; then keeps the sources to reload from, watching the config file when <paramref name="watchConfigFile"/>.
    /// </summary>
    public static GhidraConfiguration Load(ConfigSources sources, ILogger? logger = null, bool watchConfigFile = true)
    {
        var set = ConfigurationSourceSet.Build(sources, watchConfigFile);
        try
        {
            var (snapshot, errors) = ConfigurationSnapshot.Read(set.Root);
            return errors.Count > 0
                ? throw new ConfigurationException(errors)
                : new GhidraConfiguration(set, snapshot, logger ?? NullLogger.Instance);
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>A token that fires when <see cref="Current"/> changes; take a fresh one after it fired.</summary>
    public IChangeToken GetChangeToken() => _changed.Token;

    /// <summary>Re-reads every source now and applies the reloadable keys; a refused reload leaves everything as it was.</summary>
    public ReloadResult Reload()
    {
        ReloadOutcome outcome;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _reloadingOnRequest = true;
            try
            {
                _sources.Root.Reload();
            }
            finally
            {
                _reloadingOnRequest = false;
            }

            outcome = Apply(ReloadTrigger.Requested);
        }

        Announce(outcome);
        return outcome.Result;
    }

    /// <summary>Stops watching the config file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _sourceWatch.Dispose();
            _sources.Dispose();
        }
    }

    /// <summary>A token that fires when the given section of <see cref="Current"/> changes.</summary>
    internal IChangeToken GetChangeToken(IOptionsSection section) => _sectionChanged[section].Token;

    RawSetting? ISettingOrigins.Get(ConfigName setting) => Volatile.Read(ref _snapshot).Origins.Get(setting);

    bool ISettingOrigins.Failed(ConfigName setting) => Volatile.Read(ref _snapshot).Origins.Failed(setting);

    bool ISettingOrigins.Reported(ConfigName setting) => Volatile.Read(ref _snapshot).Origins.Reported(setting);

    bool ISettingOrigins.Incomplete(ConfigName setting) => Volatile.Read(ref _snapshot).Origins.Incomplete(setting);

    /// <summary>The file changed (the provider has read it again already); runs on the file watcher's thread.</summary>
    private void OnSourcesReloaded()
    {
        ReloadOutcome outcome;
        lock (_gate)
        {
            // Reload() re-reads the sources itself, which fires this too: it applies the result once, there.
            if (_reloadingOnRequest || _disposed)
            {
                return;
            }

            try
            {
                outcome = Apply(ReloadTrigger.ConfigFileChanged);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A watcher thread must not die of this: the running configuration simply stays.
                Log.ReloadFailed(_logger, ConfigPath ?? "", e);
                return;
            }
        }

        Announce(outcome);
    }

    private ReloadOutcome Apply(ReloadTrigger trigger)
    {
        var outcome = _reloader.Reload(_snapshot, _sources.Root, trigger);
        Volatile.Write(ref _snapshot, outcome.Snapshot);
        return outcome;
    }

    /// <summary>Fires the change tokens of what changed and raises <see cref="Reloaded"/>, outside the lock, so listeners may read or reload.</summary>
    private void Announce(ReloadOutcome outcome)
    {
        foreach (var section in outcome.ChangedSections)
        {
            _sectionChanged[section].Fire();
        }

        if (outcome.ChangedSections.Count > 0)
        {
            _changed.Fire();
        }

        Volatile.Write(ref _lastRefused, outcome.Result.Accepted ? null : outcome.Result);
        Reloaded?.Invoke(this, outcome.Result);
    }
}
