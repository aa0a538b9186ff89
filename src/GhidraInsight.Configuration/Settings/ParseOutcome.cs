namespace GhidraInsight.Configuration;

/// <summary>What parsing a key's value came to.</summary>
internal enum ParseOutcome
{
    /// <summary>The value is good and set.</summary>
    Parsed,

    /// <summary>The value is bad; every problem is reported and the default stays.</summary>
    Failed,

    /// <summary>The value counts as unset (a blank secret), so the default or the alternative applies.</summary>
    Absent,
}
