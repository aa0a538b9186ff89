using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>One entry of a template's <c>Resources</c>: its logical id, <c>Type</c> ("" when missing) and <c>Properties</c> (empty when missing).</summary>
internal sealed record CloudFormationResource(string LogicalId, string Type, bool HasProperties, YamlMappingNode Properties);
