namespace GhidraInsight.Storage.Tests;

public sealed class EngineVersionsTests
{
    [Theory]
    [InlineData("1.9.0", "1.10.0", true)]
    [InlineData("1.10.0", "1.9.0", false)]
    [InlineData("1.1.0", "1.1.0", false)]
    [InlineData("garbage", "0.0.1", true)]
    [InlineData("1.1.0", "garbage", false)]
    public void EngineVersions_OrderAsVersionsNotAsText(string version, string than, bool older) =>
        Assert.Equal(older, EngineVersions.IsOlder(version, than));
}
