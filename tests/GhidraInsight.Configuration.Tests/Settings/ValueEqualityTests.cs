namespace GhidraInsight.Configuration.Tests.Settings;

/// <summary>The options records compare by value with compiler-generated equality, whatever collections they were given.</summary>
public sealed class ValueEqualityTests
{
    [Fact]
    public void RegionOptions_WithEqualListsOfDifferentTypes_AndEndpointsInAnotherOrder_AreEqual()
    {
        var left = new RegionOptions
        {
            Regions = new List<string> { "us-east-1", "eu-west-1" },
            Endpoints = new Dictionary<string, Uri> { ["us-east-1"] = new("http://a:1"), ["eu-west-1"] = new("http://b:2") },
        };
        var right = new RegionOptions
        {
            Regions = ["us-east-1", "eu-west-1"],
            Endpoints = new SortedDictionary<string, Uri>(StringComparer.Ordinal) { ["eu-west-1"] = new("http://b:2"), ["us-east-1"] = new("http://a:1") },
        };

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, right with { Regions = ["eu-west-1", "us-east-1"] });
        Assert.NotEqual(left, right with { Endpoints = new Dictionary<string, Uri> { ["us-east-1"] = new("http://a:1") } });
    }

    [Fact]
    public void RegionOptions_ToString_ShowsListsAndMasksTheSecret()
    {
        var region = new RegionOptions { Regions = ["us-east-1", "eu-west-1"], Secret = "do-not-print-this-secret" };

        var text = region.ToString();

        Assert.Contains("Regions = [us-east-1, eu-west-1]", text, StringComparison.Ordinal);
        Assert.Contains("Secret = ***", text, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ACollectionGivenToAnOptionsRecord_IsCopied_SoChangingItLaterChangesNothing()
    {
        var regions = new List<string> { "us-east-1" };
        var region = new RegionOptions { Regions = regions };

        regions.Add("eu-west-1");

        Assert.Equal(["us-east-1"], region.Regions);
    }
}
