using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GhidraInsight.Storage.Sqlite.Annotations;

namespace GhidraInsight.Storage.Sqlite.Outbox;

/// <summary>
/// The JSON payloads of outbox entries, snake_case, times in Unix milliseconds. The result JSON travels as a
/// string so a receiver stores exactly the bytes the origin serves. An analysis's <c>name</c> is there only when it has one,
/// so an unnamed analysis travels exactly as builds before names wrote it.
/// </summary>
internal static class OutboxPayloads
{
    public static string AnalysisStored(NewAnalysis analysis, long createdAtMs) => Write(writer =>
    {
        writer.WriteString("id", analysis.Id);
        writer.WriteString("engine_version", analysis.EngineVersion);
        writer.WriteString("format", analysis.Format);
        writer.WriteString("arch", analysis.Arch);
        writer.WriteNumber("size", analysis.Size);
        writer.WriteNumber("created_at", createdAtMs);
        writer.WriteString("result_json", analysis.ResultJson);
        if (analysis.Name is { } name)
        {
            writer.WriteString("name", name);
        }
    });

    public static string AnnotationPut(Annotation annotation) => Write(writer =>
    {
        writer.WriteString("analysis_id", annotation.AnalysisId);
        // Hex string: a 64-bit address does not survive JSON numbers in every consumer.
        writer.WriteString("address", string.Create(CultureInfo.InvariantCulture, $"0x{annotation.Address:x}"));
        writer.WriteString("name", annotation.Name);
        writer.WriteString("comment", annotation.Comment);
        writer.WriteStartArray("tags");
        foreach (var tag in annotation.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteNumber("version", annotation.Version);
        writer.WriteNumber("epoch", annotation.Epoch);
        writer.WriteNumber("updated_at", annotation.UpdatedAt.ToUnixTimeMilliseconds());
        writer.WriteNumber("base_version", annotation.BaseVersion);
        writer.WritePropertyName("lineage");
        LineageJson.Write(writer, annotation.Lineage);
    });

    public static string AnalysisDeleted(string id, long deletedAtMs) => Write(writer =>
    {
        writer.WriteString("id", id);
        writer.WriteNumber("deleted_at", deletedAtMs);
    });

    /// <summary>Tags as a JSON array, the form stored in <c>annotations.tags_json</c>.</summary>
    public static string TagsJson(IReadOnlyList<string> tags)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var tag in tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<string> ParseTags(string tagsJson)
    {
        using var document = JsonDocument.Parse(tagsJson);
        var tags = new List<string>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            tags.Add(element.GetString() ?? string.Empty);
        }

        return tags;
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
