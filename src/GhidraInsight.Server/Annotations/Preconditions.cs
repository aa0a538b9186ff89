using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Server.Annotations;

/// <summary>Turns <c>If-Match</c> / <c>If-None-Match</c> into the version a write expects (null: unconditional, 0: must not exist).</summary>
internal static class Preconditions
{
    public static (long? Expected, string? Error) Read(HttpRequest request)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString().Trim();
        if (ifNoneMatch == "*")
        {
            return (0, null);
        }
        var ifMatch = request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length == 0)
        {
            return (null, null);
        }
        var text = ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch;
        text = text.Trim('"');
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? (version, null)
            : (null, $"If-Match was '{ifMatch}'.");
    }
}
