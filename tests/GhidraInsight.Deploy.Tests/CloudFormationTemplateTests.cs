using GhidraInsight.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests;

/// <summary>What every AWS template must get right before CloudFormation sees it: known types and properties, and names that resolve.</summary>
public sealed class CloudFormationTemplateTests
{
    public static TheoryData<string> Templates => new(DeployFiles.RegionNlb, DeployFiles.Route53Latency, DeployFiles.GlobalAccelerator);

    [Theory]
    [MemberData(nameof(Templates))]
    public void CloudFormation_EveryResourceHasAnAllowedTypeAndKnownProperties(string file)
    {
        var template = CloudFormationTemplate.Load(file);
        var problems = new List<string>();

        problems.AddRange(template.Root.Entries().Select(entry => entry.Key)
            .Where(section => !CloudFormationTypes.Sections.Contains(section))
            .Select(section => $"{section}: not a template section"));
        if (template.Root.PlainScalar("AWSTemplateFormatVersion") != "2010-09-09")
        {
            problems.Add("AWSTemplateFormatVersion is not 2010-09-09");
        }
        foreach (var resource in template.Resources.Values)
        {
            if (!CloudFormationTypes.ByName.TryGetValue(resource.Type, out var type))
            {
                problems.Add($"{resource.LogicalId}: type '{resource.Type}' is not one of {string.Join(", ", CloudFormationTypes.ByName.Keys)}");
                continue;
            }
            if (!resource.HasProperties)
            {
                problems.Add($"{resource.LogicalId}: no Properties");
            }
            var names = resource.Properties.Entries().Select(entry => entry.Key).ToList();
            problems.AddRange(names.Where(name => !type.Properties.Contains(name)).Select(name => $"{resource.LogicalId}: {type.Name} has no property {name}"));
            problems.AddRange(type.Required.Where(name => !names.Contains(name)).Select(name => $"{resource.LogicalId}: required property {name} is missing"));
        }

        Assert.NotEmpty(template.Resources);
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void CloudFormation_EveryReferenceNamesADefinedParameterResourceOrPseudoParameter(string file)
    {
        var template = CloudFormationTemplate.Load(file);

        var references = template.References().ToList();

        Assert.NotEmpty(references);
        Assert.Empty(references.Select(template.Unresolved).OfType<string>());
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void CloudFormation_EveryOutputValueResolvesToWhatTheTemplateDefines(string file)
    {
        var template = CloudFormationTemplate.Load(file);
        var problems = new List<string>();

        foreach (var (name, output) in template.Outputs)
        {
            var value = output.Child("Value");
            var references = value is null ? [] : CloudFormationReferences.In(value, $"Outputs.{name}.Value").ToList();
            if (references.Count == 0)
            {
                problems.Add($"Outputs.{name}: the Value names no parameter, resource or attribute");
            }
            problems.AddRange(references.Select(template.Unresolved).OfType<string>());
            problems.AddRange(CloudFormationReferences.In(output.Child("Export") ?? new YamlMappingNode(), $"Outputs.{name}.Export")
                .Select(template.Unresolved).OfType<string>());
        }

        Assert.NotEmpty(template.Outputs);
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void CloudFormation_EveryParameterHasAKnownTypeAValidDefaultAndIsUsed(string file)
    {
        var template = CloudFormationTemplate.Load(file);
        var used = template.References().Where(reference => reference.Kind == CloudFormationReference.Ref).Select(reference => reference.Name).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (var (name, parameter) in template.Parameters)
        {
            var type = parameter.PlainScalar("Type");
            if (type is null || !CloudFormationTypes.ParameterTypes.Contains(type))
            {
                problems.Add($"{name}: parameter type '{type}' is not one of {string.Join(", ", CloudFormationTypes.ParameterTypes)}");
            }
            var allowed = parameter.ChildSequence("AllowedValues")?.Children.OfType<YamlScalarNode>().Select(value => value.Value).ToList();
            var fallback = parameter.PlainScalar("Default");
            if (allowed is not null && fallback is not null && !allowed.Contains(fallback))
            {
                problems.Add($"{name}: default '{fallback}' is not among its AllowedValues");
            }
            if (string.IsNullOrWhiteSpace(parameter.PlainScalar("Description")))
            {
                problems.Add($"{name}: no Description for the operator");
            }
            if (!used.Contains(name))
            {
                problems.Add($"{name}: declared but never referenced");
            }
        }

        Assert.Empty(problems);
    }
}
