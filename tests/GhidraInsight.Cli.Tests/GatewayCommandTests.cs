using System.Net.Sockets;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

/// <summary><c>ghidrainsight gateway</c>: what it refuses to start with, each in one line, exit code 2, no stack trace.</summary>
public sealed class GatewayCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ghidrainsight-gateway-cli-").FullName;

    [Fact]
    public async Task BadGatewayValues_EachGetOneLine()
    {
        var config = Write("gateway:\n  port: 99999\n  probe_interval_ms: 0\n  retry_budget: -1\n  success_threshold: often\n" + Regions);

        var run = await CliProcess.RunAsync("gateway", "--config", config);

        Assert.True(run.ExitCode == 2, run.ToString());
        foreach (var key in new[] { "gateway.port", "gateway.probe_interval_ms", "gateway.retry_budget", "gateway.success_threshold" })
        {
            Assert.Single(run.ErrorLines, line => line.StartsWith($"ghidrainsight: config: {key} (GHIDRA_", StringComparison.Ordinal) && line.Contains("(line ", StringComparison.Ordinal));
        }
        run.AssertNoStackTrace();
    }

    [Fact]
    public async Task ABadPortFlag_IsRefusedLikeTheKey()
    {
        var run = await CliProcess.RunAsync("gateway", "--config", Write(Regions), "--port", "70000");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(run.ErrorLines, line => line.StartsWith("ghidrainsight: config: gateway.port", StringComparison.Ordinal));
        run.AssertNoStackTrace();
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task APublicAddressWithoutKeys_IsRefused(string host)
    {
        // Plain HTTP allowed, so the keys are the one thing missing (TLS beyond loopback has its own tests).
        var run = await CliProcess.RunAsync("gateway", "--config", Write(Regions + "gateway:\n  allow_insecure_http: true\n"), "--host", host, "--port", "0");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("requires API keys", line, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task WithoutRegions_ItSaysWhatItNeeds()
    {
        var run = await CliProcess.RunAsync("gateway", "--config", Write("gateway:\n  port: 0\n"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("region.endpoints", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortInUse_IsOneLine()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var run = await CliProcess.RunAsync("gateway", "--config", Write(Regions), "--port", port);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("ghidrainsight: cannot start the gateway:", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }

    private const string Regions = """
        region:
          enabled: true
          current_region: us-east-1
          regions: [us-east-1, eu-west-1]
          endpoints:
            us-east-1: http://127.0.0.1:9
            eu-west-1: http://127.0.0.1:9
          secret_file: SECRET

        """;

    private string Write(string yaml)
    {
        var secret = Path.Combine(_folder, "region-secret");
        File.WriteAllText(secret, "0123456789abcdef0123456789abcdef\n");
        yaml = yaml.Replace("SECRET", secret, StringComparison.Ordinal);
        var path = Path.Combine(_folder, $"config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
