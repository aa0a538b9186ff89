namespace GhidraInsight.Analysis.Functions;

/// <summary>What a recursive-descent walk of one function found.</summary>
internal sealed class FunctionWalk
{
    /// <summary>Start address of every instruction reached, with its length (unordered).</summary>
    public Dictionary<ulong, int> Instructions { get; } = [];

    /// <summary>Direct call targets (and import slots called through).</summary>
    public SortedSet<ulong> Calls { get; } = [];

    /// <summary>Targets of jumps that leave the function for another known function (tail calls).</summary>
    public HashSet<ulong> TailCalls { get; } = [];

    /// <summary>One past the highest byte reached at or above the start.</summary>
    public ulong End { get; set; }

    /// <summary>
    /// Every address the walk asked about and was told is not another function's start. Starts are only ever added, so the same
    /// walk made later gives the same result unless one of these has become a start since.
    /// </summary>
    public List<ulong> NotOtherFunctions { get; } = [];
}
