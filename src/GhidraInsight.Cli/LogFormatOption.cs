using System.CommandLine;
using GhidraInsight.Http.Logging;

namespace GhidraInsight.Cli;

/// <summary><c>--log-format text|json</c> on every command, carried by the environment to the processes a command starts.</summary>
internal static class LogFormatOption
{
    public static Option<string?> AddTo(RootCommand root)
    {
        var option = new Option<string?>("--log-format")
        {
            Description = $"How long-running commands log on stderr: text (one line per event) or json (one object per event, for log shippers). Also {ServiceLogging.FormatVariable}.",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong([.. ServiceLogging.Formats]);
        root.Options.Add(option);
        return option;
    }

    /// <summary>Applies the option's value to the environment; a message when the environment's own value is not a format.</summary>
    public static string? Apply(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is { } format)
        {
            // The environment carries it to what this process starts (up's regions and gateway).
            Environment.SetEnvironmentVariable(ServiceLogging.FormatVariable, format);
        }
        else if (Environment.GetEnvironmentVariable(ServiceLogging.FormatVariable) is { Length: > 0 } fromEnvironment
            && !ServiceLogging.Formats.Contains(fromEnvironment, StringComparer.OrdinalIgnoreCase))
        {
            return $"{ServiceLogging.FormatVariable} must be text or json, not '{fromEnvironment}'";
        }
        return null;
    }
}
