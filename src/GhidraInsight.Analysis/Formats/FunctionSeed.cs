namespace GhidraInsight.Analysis.Formats;

/// <summary>A function start known from the file's metadata.</summary>
/// <param name="Address">Virtual address of the first instruction.</param>
/// <param name="Name">Symbol name when known.</param>
/// <param name="Source"><c>symbol</c>, <c>entry</c>, <c>eh_frame</c>, <c>pdata</c>, <c>function_starts</c>, <c>export</c>.</param>
/// <param name="Size">Size when the metadata says it (symbol size, FDE range, RUNTIME_FUNCTION end).</param>
internal readonly record struct FunctionSeed(ulong Address, string? Name, string Source, long? Size = null);
