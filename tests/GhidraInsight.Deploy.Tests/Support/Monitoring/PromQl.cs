using System.Text.RegularExpressions;

namespace GhidraInsight.Deploy.Tests.Support.Monitoring;

/// <summary>
/// The metric names a PromQL expression reads, found the way PromQL's grammar sets them apart: an identifier that is not
/// a function (followed by "("), a keyword, a label (inside {…}, or the lists of by/without/on/ignoring/group_*), a
/// duration or a Grafana variable. Enough for the expressions we write; anything it mistakes for a metric fails loudly.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(
        ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2"],
        StringComparer.OrdinalIgnoreCase);

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = Variables().Replace(text, " ");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = LabelLists().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            var rest = text.AsSpan(match.Index + match.Length).TrimStart();
            var isFunction = rest.Length > 0 && rest[0] == '(';
            if (!isFunction && !Keywords.Contains(match.Value))
            {
                names.Add(match.Value);
            }
        }
        return names;
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'", RegexOptions.CultureInvariant)]
    private static partial Regex Strings();

    /// <summary>Grafana's <c>$__rate_interval</c>, <c>${datasource}</c> and the like.</summary>
    [GeneratedRegex(@"\$\{[^}]*\}|\$\w+", RegexOptions.CultureInvariant)]
    private static partial Regex Variables();

    [GeneratedRegex(@"\{[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]", RegexOptions.CultureInvariant)]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelLists();

    /// <summary>A name not glued to a digit, letter or dot before it (so 1e6 and 10m are numbers, not names).</summary>
    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
