using System.Text.RegularExpressions;
using GhidraInsight.Deploy.Tests.Support;

namespace GhidraInsight.Deploy.Tests;

/// <summary>What holds for every file under deploy/cloud/: a header for the operator, nothing account-specific, and /health on port 3000 throughout.</summary>
public sealed partial class DeployFileTests
{
    public static TheoryData<string> Files => new(
        DeployFiles.RegionNlb, DeployFiles.Route53Latency, DeployFiles.GlobalAccelerator, DeployFiles.GcpGlobalLoadBalancer, DeployFiles.TrafficManager);

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFile_StartsWithAHeaderSayingWhatItIsAndWhatToSet(string file)
    {
        string header;
        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            using var template = ArmTemplate.Load(file);
            header = template.Root.GetProperty("metadata").GetProperty("description").GetString() ?? "";
        }
        else
        {
            var comments = DeployFiles.ReadAllText(file).Split('\n').TakeWhile(line => line.StartsWith('#'));
            header = string.Join('\n', comments.Select(line => line.TrimStart('#').Trim()));
        }

        Assert.StartsWith("GhidraInsight: ", header, StringComparison.Ordinal);
        Assert.Matches(SetInstruction(), header);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFile_HoldsNoAccountIdSecretOrMachinePath(string file)
    {
        var text = DeployFiles.ReadAllText(file);

        Assert.DoesNotMatch(AccountSpecific(), text);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFile_ChecksHealthOnPathHealthAndUsesPort3000Everywhere(string file)
    {
        var settings = PortAndPathSettings.In(file);

        Assert.Contains(settings, setting => setting.IsPath);
        Assert.Contains(settings, setting => !setting.IsPath);
        Assert.Empty(settings.Where(setting => setting.IsPath ? setting.Value != "/health" : setting.Value is not ("3000" or "3000-3000"))
            .Select(setting => $"{setting.Location} = {setting.Value ?? "(does not resolve to a literal)"}"));
    }

    [GeneratedRegex(@"(Parameters to set|Set before deploying|Set [a-zA-Z]+ and)", RegexOptions.CultureInvariant)]
    private static partial Regex SetInstruction();

    /// <summary>AWS account ids and ARNs, Azure subscription GUIDs, key material, and home or work folders of some machine.</summary>
    [GeneratedRegex(
        @"(\b\d{12}\b|arn:aws|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|BEGIN [A-Z ]*PRIVATE KEY|AKIA[0-9A-Z]{16}|/home/|/Users/|/work/|/tmp/|[A-Z]:\\)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AccountSpecific();
}
