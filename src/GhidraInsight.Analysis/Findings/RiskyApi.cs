namespace GhidraInsight.Analysis.Findings;

/// <summary>What is risky about one API and what to use instead.</summary>
internal sealed record RiskyApi(string Type, string Severity, string Cwe, string Recommendation);
