using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Cli.Analyzing;

/// <summary>Analyses one file, here or on a server. Failures come back as one line of text, never as exceptions.</summary>
internal interface IFileAnalyzer
{
    Task<FileAnalysis> AnalyzeAsync(string path, CancellationToken cancellationToken);

    Task<FunctionLookup> DescribeFunctionAsync(FileAnalysis analysis, ulong address, CancellationToken cancellationToken);
}

/// <summary>The analysis of one file: the result, the JSON to print for it, or what went wrong.</summary>
internal sealed record FileAnalysis(string Path, AnalysisResult? Result, byte[]? Json, string? Error, byte[]? Bytes = null);

/// <summary>One function: its detail, the JSON to print, or what went wrong.</summary>
internal sealed record FunctionLookup(FunctionDetail? Detail, string? Json, string? Error);
