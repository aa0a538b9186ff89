using System.Text.Json;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Cli.Commands;

namespace GhidraInsight.Cli.Tests;

/// <summary>How <c>ghidrainsight regions</c> prints <c>GET /api/regions</c>: one line per region, then the failovers by epoch.</summary>
public sealed class RegionsRenderTests
{
    [Fact]
    public void Render_ShowsThePrimaryWithItsEpoch_AndEveryFailoverOldestFirst()
    {
        var regions = JsonSerializer.Deserialize("""
            {
              "us-east-1": {"healthy": false, "latency_ms": null, "role": "replica", "lag_ms": 0, "error": "Connection refused",
                            "failovers": [{"at": "2026-11-28T10:00:05.000+00:00", "from": "eu-west-1", "to": "us-east-1", "epoch": 3, "reason": "manual"}]},
              "eu-west-1": {"healthy": true, "latency_ms": 1.24, "role": "primary", "epoch": 4, "lag_ms": 3,
                            "failovers": [{"at": "2026-11-28T10:00:00.000+00:00", "from": "us-east-1", "to": "eu-west-1", "epoch": 2, "reason": "health"},
                                          {"at": "2026-11-28T10:01:00.000+00:00", "from": "us-east-1", "to": "eu-west-1", "epoch": 4, "reason": "config"}]}
            }
            """, ContractsJsonContext.Default.RegionStatusMap)!;

        var text = RegionsCommand.Render(regions);

        Assert.Equal("""
            us-east-1: ✗ (-)  replica  lag 0ms  Connection refused
            eu-west-1: ✓ (1.2ms)  primary (epoch 4)  lag 3ms
            failovers:
              epoch 2  2026-11-28 10:00:00Z  us-east-1 → eu-west-1  (health)
              epoch 3  2026-11-28 10:00:05Z  eu-west-1 → us-east-1  (manual)
              epoch 4  2026-11-28 10:01:00Z  us-east-1 → eu-west-1  (config)

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Render_WithoutFailovers_PrintsNoFailoverSection()
    {
        var regions = JsonSerializer.Deserialize("""{"us-east-1": {"healthy": true, "latency_ms": 0, "role": "primary", "epoch": 1, "lag_ms": 0, "failovers": []}}""", ContractsJsonContext.Default.RegionStatusMap)!;

        Assert.Equal("us-east-1: ✓ (0.0ms)  primary (epoch 1)  lag 0ms\n", RegionsCommand.Render(regions));
    }
}
