using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>One entry of a Deployment Manager config's <c>resources</c>: name, type and properties (empty when missing).</summary>
internal sealed record DeploymentManagerResource(string Name, string Type, bool HasProperties, YamlMappingNode Properties);
