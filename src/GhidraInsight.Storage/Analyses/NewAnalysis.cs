namespace GhidraInsight.Storage;

/// <summary>
/// An analysis to store. <see cref="ResultJson"/> is the analysis JSON exactly as served. <see cref="Name"/> is the uploaded
/// file's name (null: none given); it never replaces a name already stored.
/// </summary>
public sealed record NewAnalysis(string Id, string EngineVersion, string Format, string Arch, long Size, string ResultJson, ReadOnlyMemory<byte>? Binary,
    string? Name = null);
