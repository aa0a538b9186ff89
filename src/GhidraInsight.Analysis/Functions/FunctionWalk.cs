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

    /// <summary>
    /// The tail calls of <see cref="TailCalls"/> to a start nobody knew, taken because the code there begins as functions do, with
    /// how often a start of that shape was a real one over the function corpus.
    /// </summary>
    public Dictionary<ulong, double> JumpedToStarts { get; } = [];

    /// <summary>One past the highest byte reached at or above the start.</summary>
    public ulong End { get; set; }

    /// <summary>
    /// Every address the walk asked about and was told is not another function's start. Starts are only ever added, so the same
    /// walk made later gives the same result unless one of these has become a start since.
    /// </summary>
    public List<ulong> NotOtherFunctions { get; } = [];

    /// <summary>Whether decoding failed somewhere the walk expected code (an undecodable byte, or code that runs off its region).</summary>
    public bool Invalid { get; set; }

    /// <summary>Addresses the code takes with an IP-relative <c>lea</c>: possible function pointers.</summary>
    public List<ulong> References { get; } = [];

    /// <summary>Immediate operands of <c>mov</c> and <c>push</c>: addresses too in code that is not position-independent.</summary>
    public List<ulong> Immediates { get; } = [];

    /// <summary>Where the jump tables (and case-number tables) the function's switches use lie: data, even in code.</summary>
    public List<(ulong Start, int Length)> Tables { get; } = [];

    /// <summary>Targets of unconditional jumps the walk followed as its own code (a tail call to a start nobody knew yet looks so).</summary>
    public List<ulong> JumpTargets { get; } = [];
}
