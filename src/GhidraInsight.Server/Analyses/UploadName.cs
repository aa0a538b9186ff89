using System.Globalization;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// The name an upload gives its analysis: the <c>name</c> query parameter when it leaves one, otherwise the multipart file's
/// name. Either is untrusted: only its last path component is kept (<c>/</c> and <c>\</c> both separate), control and
/// bidirectional-formatting characters are dropped (a name is shown to people), it is trimmed and cut to
/// <see cref="MaxLength"/> characters; nothing left is no name.
/// </summary>
internal static class UploadName
{
    public const int MaxLength = 255;

    public static string? Choose(string? query, string? fileName) => Clean(query) ?? Clean(fileName);

    public static string? Clean(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var last = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var kept = new System.Text.StringBuilder(Math.Min(last.Length, MaxLength + 1));
        foreach (var c in last)
        {
            if (!IsHidden(c))
            {
                kept.Append(c);
            }
        }

        var cleaned = kept.ToString().Trim();
        if (cleaned.Length > MaxLength)
        {
            // Never half a surrogate pair at the cut.
            cleaned = cleaned[..(char.IsHighSurrogate(cleaned[MaxLength - 1]) ? MaxLength - 1 : MaxLength)].TrimEnd();
        }

        return cleaned is "" or "." or ".." ? null : cleaned;
    }

    /// <summary>Control characters, and the marks that reorder text (with which a name could show another extension than it has).</summary>
    private static bool IsHidden(char c) =>
        char.GetUnicodeCategory(c) == UnicodeCategory.Control || c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
