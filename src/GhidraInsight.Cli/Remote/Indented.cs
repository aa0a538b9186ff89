using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Cli.Remote;

/// <summary>The contracts' JSON, indented, for <c>--json</c> output people may read too.</summary>
internal static class Indented
{
    private static readonly ContractsJsonContext Context = new(new JsonSerializerOptions(ContractsJsonContext.Default.Options) { WriteIndented = true });

    public static JsonTypeInfo<RegionStatusMap> RegionStatusMap => Context.RegionStatusMap;

    public static JsonTypeInfo<SwitchoverResult> SwitchoverResult => Context.SwitchoverResult;

    public static JsonTypeInfo<ReanalysisStatus> ReanalysisStatus => Context.ReanalysisStatus;

    public static JsonTypeInfo<ProblemDocument> ProblemDocument => Context.ProblemDocument;

    /// <summary>A report of the CLI's own (doctor's checks, a drill's outcome), written field by field, indented, non-ASCII kept as it is.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
