using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary>The <c>gateway:</c> section, read from the same file a region reads, with the same rules and one-line errors.</summary>
public sealed class GatewayConfigTests
{
    [Fact]
    public void Defaults_ListenOnLoopbackPort3000_ProbeEveryTwoSeconds_AndRetryOnTwoFurtherRegions()
    {
        using var folder = new ConfigFolder();

        var gateway = folder.Load().Gateway;

        Assert.Equal(new GatewayOptions { Host = "127.0.0.1", Port = 3000, ProbeIntervalMs = 2000, SuccessThreshold = 2, RetryBudget = 2, ConnectTimeoutMs = 1000 }, gateway);
    }

    [Fact]
    public void TheFileTheEnvironmentAndFlags_SetItsKeys_InThatOrderOfPrecedence()
    {
        using var folder = new ConfigFolder("gateway:\n  port: 4000\n  probe_interval_ms: 1000\n  retry_budget: 3\n");

        var gateway = folder.Load(new() { ["GHIDRA_GATEWAY__PORT"] = "4001" }, new() { ["gateway.retry_budget"] = "1" }).Gateway;

        Assert.Equal((4001, 1000, 1), (gateway.Port, gateway.ProbeIntervalMs, gateway.RetryBudget));
    }

    [Fact]
    public void BadValues_AreReportedTogether_OneLineEach_WithTheirLines()
    {
        using var folder = new ConfigFolder("gateway:\n  host: gateway.example\n  port: 70000\n  probe_interval_ms: 10\n  retry_budget: many\n  speed: fast\n");

        var errors = folder.LoadFails().Errors;

        Assert.Equal(5, errors.Count);
        Assert.Contains($"gateway.host (GHIDRA_GATEWAY__HOST) = 'gateway.example': must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost (line 2 of {folder.ConfigPath})", errors);
        Assert.Contains($"gateway.port (GHIDRA_GATEWAY__PORT) = '70000': must be an integer from 0 to 65535 (line 3 of {folder.ConfigPath})", errors);
        Assert.Contains($"gateway.probe_interval_ms (GHIDRA_GATEWAY__PROBE_INTERVAL_MS) = '10': must be an integer from 100 to 600000 (line 4 of {folder.ConfigPath})", errors);
        Assert.Contains($"gateway.retry_budget (GHIDRA_GATEWAY__RETRY_BUDGET) = 'many': must be an integer from 0 to 10 (line 5 of {folder.ConfigPath})", errors);
        Assert.Contains(errors, e => e.StartsWith($"gateway.speed (line 6 of {folder.ConfigPath}): unknown key; known keys in gateway: host, port,", StringComparison.Ordinal));
    }
}
