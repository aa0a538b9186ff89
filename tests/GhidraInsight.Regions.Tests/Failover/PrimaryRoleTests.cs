using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Fencing;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Failover;

/// <summary>When a region may accept strong writes: primary of the current epoch, taken over, and within its lease.</summary>
public sealed class PrimaryRoleTests
{
    private static readonly RegionOptions Options = new()
    {
        Enabled = true,
        CurrentRegion = "us-east-1",
        Regions = ["us-east-1", "eu-west-1", "ap-south-1"],
    };

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void WithoutAnElection_TheConfiguredPrimaryAlwaysAccepts_AtEpochOne()
    {
        var role = PrimaryRole.Fixed(Options, _time);
        _time.Advance(TimeSpan.FromDays(1));

        Assert.True(role.CanAcceptStrongWrites(out _));
        Assert.Equal(1, role.Epoch);
    }

    [Fact]
    public void Elected_AcceptsNothing_UntilAPrimaryIsCommitted_ConfirmedAndReady()
    {
        var role = PrimaryRole.Elected(Options, _time);
        Assert.False(role.CanAcceptStrongWrites(out var unelected));

        role.Update(PrimaryState.Initial("us-east-1"));
        Assert.False(role.CanAcceptStrongWrites(out var notReady));
        role.MarkReady(1);
        Assert.False(role.CanAcceptStrongWrites(out var unconfirmed));
        role.ConfirmUntil(_time.GetTimestamp() + _time.TimestampFrequency);

        Assert.True(role.CanAcceptStrongWrites(out _));
        Assert.Equal("the regions have not elected a primary yet", unelected);
        Assert.Contains("taking over", notReady, StringComparison.Ordinal);
        Assert.Contains("not confirmed", unconfirmed, StringComparison.Ordinal);
    }

    [Fact]
    public void Lease_RunsOut_WithoutANewConfirmation_EvenWithNoOtherSignal()
    {
        var role = ConfirmedPrimary(TimeSpan.FromMilliseconds(400));

        _time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.True(role.CanAcceptStrongWrites(out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(role.CanAcceptStrongWrites(out _));
    }

    [Fact]
    public void Fence_StopsAtOnce_AndALaterConfirmationReopens()
    {
        var role = ConfirmedPrimary(TimeSpan.FromSeconds(1));

        role.Fence("cut off");
        Assert.False(role.CanAcceptStrongWrites(out var reason));
        role.ConfirmUntil(_time.GetTimestamp() + _time.TimestampFrequency);

        Assert.Equal("cut off", reason);
        Assert.True(role.CanAcceptStrongWrites(out _));
    }

    [Fact]
    public void ConfirmUntil_NeverShortensTheLease()
    {
        var role = ConfirmedPrimary(TimeSpan.FromSeconds(1));

        role.ConfirmUntil(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.True(role.CanAcceptStrongWrites(out _));
    }

    [Fact]
    public void NewEpoch_WithAnotherPrimary_StopsThisOne()
    {
        var role = ConfirmedPrimary(TimeSpan.FromSeconds(10));

        role.Update(new PrimaryState("eu-west-1", 2, [new FailoverRecord(_time.GetUtcNow(), "us-east-1", "eu-west-1", 2, "health")]));

        Assert.False(role.CanAcceptStrongWrites(out var reason));
        Assert.False(role.IsCurrentRegionPrimary);
        Assert.Equal("us-east-1 is not the primary of epoch 2 (eu-west-1 is)", reason);
    }

    [Fact]
    public void AnOlderState_ArrivingLate_DoesNotReplaceANewerOne()
    {
        var role = PrimaryRole.Elected(Options, _time);
        var newer = new PrimaryState("eu-west-1", 2, [new FailoverRecord(_time.GetUtcNow(), "us-east-1", "eu-west-1", 2, "health")]);

        role.Update(newer);
        role.Update(PrimaryState.Initial("us-east-1"));

        Assert.Same(newer, role.State);
    }

    [Fact]
    public void StrongWrite_IsStampedWithItsAdmittingEpoch_AndNotAcknowledgedOnceThatEpochEnded()
    {
        var role = ConfirmedPrimary(TimeSpan.FromSeconds(10));
        Assert.True(role.CanAcceptStrongWrites(out var admitted, out _));
        var strong = new WriteEpoch(role);
        var other = new WriteEpoch(role);
        strong.Admit(admitted);

        // While the write is being stored, the region applies a newer epoch in which it is no longer primary.
        role.Update(new PrimaryState("eu-west-1", 2, [new FailoverRecord(_time.GetUtcNow(), "us-east-1", "eu-west-1", 2, "health")]));

        Assert.Equal(1, admitted);
        Assert.Equal((1L, true), (strong.Value, strong.IsStrongWrite));
        Assert.Equal((2L, false), (other.Value, other.IsStrongWrite));
        Assert.False(role.StillAccepts(admitted, out var reason));
        Assert.Equal("us-east-1 is not the primary of epoch 2 (eu-west-1 is)", reason);
    }

    [Fact]
    public void StillAccepts_AWriteOfTheCurrentEpoch_WhileTheLeaseHolds()
    {
        var role = ConfirmedPrimary(TimeSpan.FromMilliseconds(400));

        Assert.True(role.StillAccepts(1, out _));
        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.False(role.StillAccepts(1, out _));
    }

    private PrimaryRole ConfirmedPrimary(TimeSpan lease)
    {
        var role = PrimaryRole.Elected(Options, _time);
        role.Update(PrimaryState.Initial("us-east-1"));
        role.MarkReady(1);
        role.ConfirmUntil(_time.GetTimestamp() + (long)(lease.TotalSeconds * _time.TimestampFrequency));
        return role;
    }
}
