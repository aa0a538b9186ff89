using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Json;

/// <summary>The one JSON shape of analysis results: snake_case, hex addresses, nulls omitted.</summary>
public static class AnalysisJson
{
    /// <summary>Options every producer and consumer of analysis JSON uses.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>Same as <see cref="Options"/>, indented for people.</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = Create(indented: true);

    public static string Serialize(AnalysisResult result, bool indented = false) => JsonSerializer.Serialize(result, TypeInfo<AnalysisResult>(indented));

    /// <summary>As <see cref="Serialize(AnalysisResult, bool)"/>, as UTF-8.</summary>
    public static byte[] SerializeToUtf8Bytes(AnalysisResult result, bool indented = false) =>
        JsonSerializer.SerializeToUtf8Bytes(result, TypeInfo<AnalysisResult>(indented));

    public static string Serialize(FunctionDetail detail, bool indented = false) => JsonSerializer.Serialize(detail, TypeInfo<FunctionDetail>(indented));

    public static AnalysisResult? Deserialize(string json) => JsonSerializer.Deserialize(json, TypeInfo<AnalysisResult>(indented: false));

    /// <summary>The contract of <typeparamref name="T"/> with these options: no reflection, so it works compiled ahead of time too.</summary>
    private static JsonTypeInfo<T> TypeInfo<T>(bool indented) => (JsonTypeInfo<T>)(indented ? IndentedOptions : Options).GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            // Real-number entropy must round-trip exactly for comparisons with yara.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        // Metadata and serialization code generated at build time (and compiled ahead of time with the rest of the assembly), so
        // a one-shot `analyze` does not reflect over the model and compile serializers for it at run time. Other types written
        // with these options (the server's views around the model) are reflected over as before.
        // Where reflection is off (the ahead-of-time compiled analyser), the generated contract is all there is.
        options.TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
            ? System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(AnalysisJsonContext.Default,
                new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver())
            : AnalysisJsonContext.Default;
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>The analysis model's JSON contract, generated at build time with the same settings as <see cref="AnalysisJson.Options"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(AnalysisResult))]
[JsonSerializable(typeof(FunctionDetail))]
internal sealed partial class AnalysisJsonContext : JsonSerializerContext;
