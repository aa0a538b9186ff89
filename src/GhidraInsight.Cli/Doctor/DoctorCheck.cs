namespace GhidraInsight.Cli.Doctor;

/// <summary>One line of <c>ghidrainsight doctor</c>: what was checked, whether it holds, what was found, and the fix when it does not.</summary>
internal sealed record DoctorCheck(string Name, bool Ok, string Detail, string? Fix = null)
{
    /// <summary><c>✓ name: detail</c>, or <c>✗ name: detail</c> with the fix on the next line.</summary>
    public string Render() => Ok ? $"✓ {Name}: {Detail}" : $"✗ {Name}: {Detail}\n    fix: {Fix}";
}
