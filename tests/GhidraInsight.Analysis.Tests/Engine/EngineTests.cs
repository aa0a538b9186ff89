using GhidraInsight.Analysis.Json;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Engine;

public sealed class EngineTests
{
    [Fact]
    public void UnknownFormat_GetsStringsEntropyAndAnError_NotAnException()
    {
        var bytes = "just some text that is not a binary at all"u8.ToArray();
        var result = new AnalysisEngine().Analyze(bytes);
        Assert.Equal("unknown", result.Binary.Format);
        Assert.Contains(result.Errors, e => e.Code == "unsupported");
        Assert.Single(result.Strings);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), result.AnalysisId);
    }

    [Fact]
    public void Input_AboveTheSizeLimit_IsRefusedBeforeAnyWork()
    {
        var engine = new AnalysisEngine(new AnalysisOptions { MaxInputSize = 1000 });
        var ex = Assert.Throws<InputTooLargeException>(() => engine.Analyze(new byte[1001]));
        Assert.Equal(1001, ex.Size);
    }

    [Fact]
    public void TimeBudget_WhenItRunsOut_ReturnsPartialResultsWithAnError()
    {
        var engine = new AnalysisEngine(timeProvider: new ExpiredTimeProvider());
        var result = engine.Analyze(File.ReadAllBytes(RealBinaries.Ls));
        Assert.Contains(result.Errors, e => e.Code == "time_budget");
        Assert.False(string.IsNullOrEmpty(result.Binary.Sha256));
    }

    [Fact]
    public void CallerCancellation_IsNotSwallowed()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new AnalysisEngine().Analyze(File.ReadAllBytes(RealBinaries.Ls), cancel.Token));
    }

    [Fact]
    public void Json_UsesSnakeCaseAndHexAddresses_AndRoundTrips()
    {
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(RealBinaries.Ls));
        var json = AnalysisJson.Serialize(result);
        Assert.Contains("\"analysis_id\":", json, StringComparison.Ordinal);
        Assert.Contains("\"engine_version\":", json, StringComparison.Ordinal);
        Assert.Matches("\"entry_point\":\"0x[0-9a-f]+\"", json);
        var back = AnalysisJson.Deserialize(json)!;
        Assert.Equal(result.Binary, back.Binary);
        Assert.Equal(result.Strings.Count, back.Strings.Count);
        Assert.Equal(result.Functions.Select(f => f.Address), back.Functions.Select(f => f.Address));
    }
}
