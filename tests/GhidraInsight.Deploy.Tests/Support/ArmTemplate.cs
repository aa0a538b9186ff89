using System.Text.Json;
using System.Text.RegularExpressions;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>An ARM template from the repository, read with System.Text.Json: its parameters, the expressions that use them, and resolved values.</summary>
internal sealed partial class ArmTemplate : IDisposable
{
    private readonly JsonDocument _document;

    private ArmTemplate(JsonDocument document)
    {
        _document = document;
        Parameters = Root.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateObject().ToDictionary(parameter => parameter.Name, parameter => parameter.Value, StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
    }

    public JsonElement Root => _document.RootElement;

    public IReadOnlyDictionary<string, JsonElement> Parameters { get; }

    public static ArmTemplate Load(string relativePath) => new(JsonDocument.Parse(DeployFiles.ReadAllText(relativePath)));

    /// <summary>Every <c>parameters('NAME')</c> inside a <c>[…]</c> expression string, with the JSON path where it occurs.</summary>
    public IEnumerable<(string Name, string Location)> ParameterReferences() =>
        Strings(Root, "$").Where(text => IsExpression(text.Value))
            .SelectMany(text => ParameterCall().Matches(text.Value).Select(match => (match.Groups[1].Value, text.Location)));

    /// <summary>
    /// A literal as written (numbers and booleans in their JSON text), or the default value of the parameter an expression that is
    /// exactly <c>[parameters('NAME')]</c> names; null for anything only known at deployment.
    /// </summary>
    public string? Resolve(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? value.GetRawText() : null;
        }
        var text = value.GetString() ?? "";
        if (!IsExpression(text))
        {
            return text;
        }
        return WholeParameter().Match(text) is { Success: true } match && Parameters.TryGetValue(match.Groups[1].Value, out var parameter)
            && parameter.TryGetProperty("defaultValue", out var fallback)
            ? Resolve(fallback)
            : null;
    }

    /// <summary>The parameter an expression that is exactly <c>[parameters('NAME')]</c> names, or null.</summary>
    public static string? ParameterName(JsonElement value)
    {
        var match = value.ValueKind == JsonValueKind.String ? WholeParameter().Match(value.GetString() ?? "") : Match.Empty;
        return match.Success ? match.Groups[1].Value : null;
    }

    public void Dispose() => _document.Dispose();

    /// <summary>ARM evaluates a string starting with one <c>[</c> and ending with <c>]</c>; <c>[[</c> escapes a literal bracket.</summary>
    private static bool IsExpression(string text) =>
        text.StartsWith('[') && !text.StartsWith("[[", StringComparison.Ordinal) && text.EndsWith(']');

    private static IEnumerable<(string Value, string Location)> Strings(JsonElement element, string location) => element.ValueKind switch
    {
        JsonValueKind.String => [(element.GetString() ?? "", location)],
        JsonValueKind.Array => element.EnumerateArray().SelectMany((item, index) => Strings(item, $"{location}[{index}]")),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => Strings(property.Value, $"{location}.{property.Name}")),
        _ => [],
    };

    [GeneratedRegex(@"parameters\(\s*'([^']*)'\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterCall();

    [GeneratedRegex(@"^\[\s*parameters\(\s*'([^']*)'\s*\)\s*\]$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeParameter();
}
