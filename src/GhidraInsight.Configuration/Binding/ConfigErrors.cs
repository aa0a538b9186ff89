using System.Text;

namespace GhidraInsight.Configuration;

/// <summary>Builds the one-line error messages, all in the shape <c>key (ENV_VAR) = 'value': what is allowed</c>.</summary>
internal static class ConfigErrors
{
    private const int MaxShownLength = 80;

    public static string Invalid(string key, RawValue value, string allowed) =>
        $"{key} ({value.EnvironmentVariable}) = '{Show(value.Text)}': {allowed}{value.Where}";

    /// <summary>For values that must not be echoed (plaintext keys).</summary>
    public static string InvalidSecret(string key, RawValue value, string allowed) =>
        $"{key} ({value.EnvironmentVariable}) = '***': {allowed}{value.Where}";

    public static string UnknownKey(string key, string where, string knownIn, IEnumerable<string> known) =>
        $"{key}{where}: unknown key; known keys in {knownIn}: {string.Join(", ", known)}";

    public static string Where(string path, int line) => $" (line {line} of {path})";

    /// <summary>The value on one line, control characters escaped, long values cut.</summary>
    public static string Show(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (builder.Length >= MaxShownLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}
