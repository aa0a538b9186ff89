namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>What CloudFormation accepts for one resource type: its settable properties, the required ones and the attributes <c>Fn::GetAtt</c> can read.</summary>
internal sealed record CloudFormationType(string Name, IReadOnlySet<string> Properties, IReadOnlySet<string> Required, IReadOnlySet<string> Attributes);
