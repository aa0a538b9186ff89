using GhidraInsight.Regions.Failover;

namespace GhidraInsight.Regions.Tests.Failover;

/// <summary>The state machine's one rule: a change applies only to the epoch it expected, to another known region.</summary>
public sealed class PrimaryStateMachineTests
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    [Fact]
    public void FirstCommand_ElectsTheFirstPrimary_AtEpochOne_WithoutAFailoverRecord()
    {
        var state = PrimaryStateMachine.Apply(PrimaryState.Unelected, Command(0, "us-east-1", "config"), Regions);

        Assert.Equal(("us-east-1", 1L), (state!.Primary, state.Epoch));
        Assert.Empty(state.History);
    }

    [Fact]
    public void Change_ToAnotherRegion_AtTheExpectedEpoch_AddsOneEpochAndOneRecord()
    {
        var initial = PrimaryState.Initial("us-east-1");

        var state = PrimaryStateMachine.Apply(initial, Command(1, "eu-west-1", FailoverReasons.Health, at: 1_700_000_000_000), Regions)!;

        Assert.Equal(("eu-west-1", 2L), (state.Primary, state.Epoch));
        var record = Assert.Single(state.History);
        Assert.Equal(new FailoverRecord(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), "us-east-1", "eu-west-1", 2, "health"), record);
    }

    [Fact]
    public void TwoProposalsForTheSameEpoch_OnlyTheFirstApplies()
    {
        var initial = PrimaryState.Initial("us-east-1");
        var first = PrimaryStateMachine.Apply(initial, Command(1, "eu-west-1", FailoverReasons.Health), Regions)!;

        var second = PrimaryStateMachine.Apply(first, Command(1, "ap-south-1", FailoverReasons.Manual), Regions);

        Assert.Null(second);
        Assert.Equal("eu-west-1", first.Primary);
    }

    [Theory]
    [InlineData(2, "eu-west-1")]
    [InlineData(1, "us-east-1")]
    [InlineData(1, "mars-1")]
    public void StaleEpoch_SameRegion_OrUnknownRegion_DoNotApply(long expectedEpoch, string to)
    {
        Assert.Null(PrimaryStateMachine.Apply(PrimaryState.Initial("us-east-1"), Command(expectedEpoch, to, FailoverReasons.Manual), Regions));
    }

    [Fact]
    public void History_KeepsTheNewestChanges_UpToItsLimit_WhileTheEpochKeepsCounting()
    {
        var state = PrimaryState.Initial("us-east-1");
        for (var i = 0; i < PrimaryStateMachine.HistoryLimit + 5; i++)
        {
            state = PrimaryStateMachine.Apply(state, Command(state.Epoch, state.Primary == "us-east-1" ? "eu-west-1" : "us-east-1", FailoverReasons.Manual), Regions)!;
        }

        Assert.Equal(PrimaryStateMachine.HistoryLimit + 6L, state.Epoch);
        Assert.Equal(PrimaryStateMachine.HistoryLimit, state.History.Count);
        Assert.Equal(state.Epoch, state.History[^1].Epoch);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"expected_epoch\":1}")]
    [InlineData("[1,2]")]
    public void MalformedCommand_IsNotACommand(string text)
    {
        Assert.Null(PrimaryCommand.Parse(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Command_RoundTripsThroughItsBytes()
    {
        var command = Command(7, "ap-south-1", FailoverReasons.Config, at: 42);

        Assert.Equal(command, PrimaryCommand.Parse(command.ToBytes()));
    }

    private static PrimaryCommand Command(long expectedEpoch, string to, string reason, long at = 0) => new(expectedEpoch, to, reason, at);
}
