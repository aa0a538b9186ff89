using System.Text.Json;

namespace GhidraInsight.Deploy.Tests.Support.Docker;

/// <summary>One instruction of a Dockerfile, its continuation lines joined: the keyword in upper case, the rest as written.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The arguments split on white space.</summary>
    public IReadOnlyList<string> Words => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The arguments in exec form, a JSON array of strings (<c>["serve"]</c>); the shell form fails here.</summary>
    public IReadOnlyList<string> ExecForm => JsonSerializer.Deserialize<string[]>(Arguments) ?? throw new FormatException($"line {Line}: {Keyword} is not in exec form");
}
