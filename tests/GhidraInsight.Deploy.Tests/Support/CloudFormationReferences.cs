using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>
/// Finds every reference in a piece of a template, in both spellings CloudFormation accepts: the short tags
/// (<c>!Ref</c>, <c>!GetAtt</c>, <c>!Sub</c>, <c>!If</c>, <c>!Condition</c>) and the long mappings (<c>Ref:</c>, <c>Fn::GetAtt:</c>, <c>Fn::Sub:</c>, <c>Fn::If:</c>).
/// </summary>
internal static partial class CloudFormationReferences
{
    public static IEnumerable<CloudFormationReference> In(YamlNode node, string location) => node switch
    {
        YamlScalarNode scalar => InScalar(scalar, location),
        YamlSequenceNode sequence => InSequence(sequence, YamlNodes.TagOf(sequence), location),
        YamlMappingNode mapping => InMapping(mapping, location),
        _ => [],
    };

    private static IEnumerable<CloudFormationReference> InScalar(YamlScalarNode scalar, string location)
    {
        var value = scalar.Value ?? "";
        return YamlNodes.TagOf(scalar) switch
        {
            "!Ref" => [new(CloudFormationReference.Ref, value, null, location)],
            "!GetAtt" => [DottedGetAtt(value, location)],
            "!Sub" => InSubString(value, new HashSet<string>(StringComparer.Ordinal), location),
            "!Condition" => [new(CloudFormationReference.Condition, value, null, location)],
            _ => [],
        };
    }

    private static IEnumerable<CloudFormationReference> InSequence(YamlSequenceNode sequence, string? function, string location)
    {
        var items = sequence.Children;
        switch (function)
        {
            case "!GetAtt" or "Fn::GetAtt":
                var name = items.Count > 0 ? (items[0] as YamlScalarNode)?.Value ?? "" : "";
                var attribute = items.Count > 1 ? (items[1] as YamlScalarNode)?.Value : null;
                return [new(CloudFormationReference.GetAtt, name, attribute, location)];
            case "!Sub" or "Fn::Sub":
                var variables = items.Count > 1 ? items[1] as YamlMappingNode : null;
                var locals = new HashSet<string>(variables?.Entries().Select(entry => entry.Key) ?? [], StringComparer.Ordinal);
                var inString = items.Count > 0 && items[0] is YamlScalarNode text ? InSubString(text.Value ?? "", locals, location) : [];
                return inString.Concat(variables is null ? [] : In(variables, location));
            case "!If" or "Fn::If":
                var condition = items.Count > 0 ? (items[0] as YamlScalarNode)?.Value ?? "" : "";
                return items.Skip(1).SelectMany((item, index) => In(item, $"{location}[{index + 1}]"))
                    .Prepend(new(CloudFormationReference.Condition, condition, null, location));
            default:
                return items.SelectMany((item, index) => In(item, $"{location}[{index}]"));
        }
    }

    private static IEnumerable<CloudFormationReference> InMapping(YamlMappingNode mapping, string location)
    {
        var entries = mapping.Entries().ToList();
        if (entries.Count == 1)
        {
            var (key, value) = entries[0];
            switch (key)
            {
                case "Ref":
                    return [new(CloudFormationReference.Ref, (value as YamlScalarNode)?.Value ?? "", null, location)];
                case "Fn::GetAtt" or "Fn::Sub" or "Fn::If" when value is YamlSequenceNode sequence:
                    return InSequence(sequence, key, location);
                case "Fn::GetAtt" when value is YamlScalarNode dotted:
                    return [DottedGetAtt(dotted.Value ?? "", location)];
                case "Fn::Sub" when value is YamlScalarNode text:
                    return InSubString(text.Value ?? "", new HashSet<string>(StringComparer.Ordinal), location);
            }
        }
        return entries.SelectMany(entry => In(entry.Value, $"{location}.{entry.Key}"));
    }

    private static CloudFormationReference DottedGetAtt(string value, string location)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? new(CloudFormationReference.GetAtt, value, null, location)
            : new(CloudFormationReference.GetAtt, value[..dot], value[(dot + 1)..], location);
    }

    /// <summary><c>${Name}</c> is a Ref, <c>${Resource.Attribute}</c> a GetAtt, <c>${!Literal}</c> nothing, and the function's own variables are local.</summary>
    private static IEnumerable<CloudFormationReference> InSubString(string text, HashSet<string> locals, string location)
    {
        foreach (Match match in SubVariable().Matches(text))
        {
            var name = match.Groups[1].Value.Trim();
            if (name.StartsWith('!') || locals.Contains(name))
            {
                continue;
            }
            yield return name.Contains('.', StringComparison.Ordinal)
                ? DottedGetAtt(name, location)
                : new(CloudFormationReference.Ref, name, null, location);
        }
    }

    [GeneratedRegex(@"\$\{([^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex SubVariable();
}
