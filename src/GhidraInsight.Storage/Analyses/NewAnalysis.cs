namespace GhidraInsight.Storage;

/// <summary>An analysis to store. <see cref="ResultJson"/> is the analysis JSON exactly as served.</summary>
public sealed record NewAnalysis(string Id, string EngineVersion, string Format, string Arch, long Size, string ResultJson, ReadOnlyMemory<byte>? Binary);
