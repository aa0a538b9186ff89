namespace GhidraInsight.Configuration;

/// <summary>The keys a reload found changed: those applied, and those kept at their running values (with the new value seen).</summary>
internal sealed class ReloadChanges
{
    public List<ConfigName> Applied { get; } = [];

    public Dictionary<ConfigName, object?> KeptRunning { get; } = [];
}
