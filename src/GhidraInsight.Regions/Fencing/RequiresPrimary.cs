
namespace GhidraInsight.Regions.Fencing;

/// <summary>
/// Endpoint metadata for a strong write: a user-authored change only the primary region accepts (annotations, deletions). At
/// the primary it runs through <see cref="StrongWriteGate"/>; elsewhere it is forwarded to the primary.
/// </summary>
public sealed class RequiresPrimary
{
    private RequiresPrimary()
    {
    }

    internal static RequiresPrimary Instance { get; } = new();
}
