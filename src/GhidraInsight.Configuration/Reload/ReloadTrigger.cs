namespace GhidraInsight.Configuration;

/// <summary>What started a reload.</summary>
public enum ReloadTrigger
{
    /// <summary>The watched config file changed.</summary>
    ConfigFileChanged,

    /// <summary><see cref="GhidraConfiguration.Reload"/> was called (the host does on SIGHUP).</summary>
    Requested,
}
