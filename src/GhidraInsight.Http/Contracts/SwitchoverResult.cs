namespace GhidraInsight.Http.Contracts;

/// <summary>The answer to a switchover: outcome, a sentence for people, and the state afterwards.</summary>
public sealed record SwitchoverResult(
    SwitchoverOutcome Outcome,
    string Detail,
    string Primary,
    long Epoch)
{
    /// <summary>Whether the requested region is primary now.</summary>
    public bool Succeeded => Outcome is SwitchoverOutcome.Done or SwitchoverOutcome.AlreadyPrimary;
}
