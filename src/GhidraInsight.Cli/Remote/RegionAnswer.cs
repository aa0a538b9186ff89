using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Cli.Remote;

/// <summary>
/// What a region answered: the value on success; otherwise its problem document (when it sent one) and a line for people.
/// <see cref="Reached"/> is false when no answer came at all (connection refused, timeout).
/// </summary>
internal sealed record RegionAnswer<T>(T? Value, ProblemDocument? Problem, string? Failure, bool Reached = true)
{
    public bool Succeeded => Failure is null;
}
