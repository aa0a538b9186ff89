namespace GhidraInsight.Storage;

/// <summary>
/// A search of the analyses list (<see cref="IAnalysisStore.ListAnalysesAsync"/>), ready for SQL: an analysis matches when its
/// name contains the text (case-insensitive), its id starts with it (hex text only, lowered) or its format equals it
/// (case-insensitive). <see cref="NamePattern"/> is a LIKE pattern with <c>%</c>, <c>_</c> and <see cref="Escape"/> escaped, so
/// every character of the text matches only itself.
/// </summary>
internal sealed record AnalysisQuery(string Text, string NamePattern, string? IdPrefixPattern)
{
    /// <summary>The LIKE escape character of <see cref="NamePattern"/> (each store names it in its <c>ESCAPE</c> clause).</summary>
    public const char Escape = '\\';

    /// <summary>The query of the text, trimmed; null when nothing is left (no filter).</summary>
    public static AnalysisQuery? Parse(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        var idPrefix = trimmed.All(char.IsAsciiHexDigit) ? trimmed.ToLowerInvariant() + "%" : null;
        return new AnalysisQuery(trimmed, "%" + EscapeLike(trimmed) + "%", idPrefix);
    }

    private static string EscapeLike(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is Escape or '%' or '_')
            {
                escaped.Append(Escape);
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
