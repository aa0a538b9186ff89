namespace GhidraInsight.Configuration;

/// <summary>Roles, each including the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Reads analyses and annotations.</summary>
    Read = 1,

    /// <summary>Also uploads binaries for analysis.</summary>
    Analyze = 2,

    /// <summary>Also writes annotations.</summary>
    Annotate = 3,

    /// <summary>Also deletes and fails over.</summary>
    Admin = 4,
}
