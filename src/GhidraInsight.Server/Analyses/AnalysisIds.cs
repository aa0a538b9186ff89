namespace GhidraInsight.Server.Analyses;

/// <summary>Analysis ids are lowercase hex SHA-256: 64 characters. Uppercase is accepted and lowered.</summary>
internal static class AnalysisIds
{
    public static bool TryNormalize(string? text, out string id)
    {
        id = "";
        if (text is not { Length: 64 } || !text.All(Uri.IsHexDigit))
        {
            return false;
        }
        id = text.ToLowerInvariant();
        return true;
    }
}
