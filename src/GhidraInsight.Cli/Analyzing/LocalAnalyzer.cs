using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Cli.Analyzing;

/// <summary>Analyses files in this process with the engine; no server needed.</summary>
internal sealed class LocalAnalyzer : IFileAnalyzer
{
    private readonly AnalysisEngine _engine = new();

    public async Task<FileAnalysis> AnalyzeAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > _engine.Options.MaxInputSize)
            {
                return new FileAnalysis(path, null, null, $"{path}: file is {length} bytes; the limit is {_engine.Options.MaxInputSize} bytes");
            }
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var result = _engine.Analyze(bytes, cancellationToken);
            return new FileAnalysis(path, result, AnalysisJson.SerializeToUtf8Bytes(result, indented: true), null, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InputTooLargeException)
        {
            return new FileAnalysis(path, null, null, $"cannot read {path}: {ex.Message}");
        }
    }

    public Task<FunctionLookup> DescribeFunctionAsync(FileAnalysis analysis, ulong address, CancellationToken cancellationToken)
    {
        var detail = _engine.DescribeFunction(analysis.Bytes!, analysis.Result!, address, cancellationToken);
        return Task.FromResult(detail is null
            ? new FunctionLookup(null, null, $"{analysis.Path}: no function at {HexAddressConverter.Format(address)}")
            : new FunctionLookup(detail, AnalysisJson.Serialize(detail, indented: true), null));
    }
}
