namespace GhidraInsight.Cli.Doctor;

/// <summary>What a drill did and found: the change of primary, how long strong writes were unavailable, and where canaries are missing.</summary>
/// <param name="Kind"><c>switchover</c> or <c>kill</c>.</param>
/// <param name="From">The primary before the drill (and after it, when it went well).</param>
/// <param name="To">The region that was primary in between.</param>
/// <param name="Steps">What happened, in order, with the time since the start.</param>
/// <param name="UnavailableMs">The longest time without an acknowledged strong write.</param>
/// <param name="Written">Canaries written.</param>
/// <param name="Acknowledged">Canaries acknowledged (each must be in every region).</param>
/// <param name="Missing">Per region, the acknowledged canaries it does not have.</param>
/// <param name="Removed">Whether the canaries are gone again from every region.</param>
/// <param name="Problems">What went wrong; empty when the drill passed.</param>
internal sealed record DrillReport(
    string Kind,
    string From,
    string? To,
    IReadOnlyList<string> Steps,
    double UnavailableMs,
    int Written,
    int Acknowledged,
    IReadOnlyDictionary<string, int> Missing,
    bool Removed,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}
