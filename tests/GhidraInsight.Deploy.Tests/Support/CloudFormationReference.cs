namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>
/// One name a template uses: <c>Ref</c> (a parameter, resource or pseudo parameter), <c>GetAtt</c> (a resource's attribute, possibly from a
/// <c>${Resource.Attribute}</c> in <c>Fn::Sub</c>) or <c>Condition</c> (the first argument of <c>Fn::If</c>), with where it was found.
/// </summary>
internal sealed record CloudFormationReference(string Kind, string Name, string? Attribute, string Location)
{
    public const string Ref = "Ref";
    public const string GetAtt = "GetAtt";
    public const string Condition = "Condition";

    public override string ToString() => Attribute is null ? $"{Kind} {Name} at {Location}" : $"{Kind} {Name}.{Attribute} at {Location}";
}
