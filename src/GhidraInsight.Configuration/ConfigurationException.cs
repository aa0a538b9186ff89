namespace GhidraInsight.Configuration;

/// <summary>The configuration is invalid; <see cref="Errors"/> holds one line per problem, each naming key, environment variable, value and what is allowed.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    /// <summary>Every problem found, one line each, in the order met: the file, the environment, the flags, then the checks across keys.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
