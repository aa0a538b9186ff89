using System.Buffers;
using System.Text;
using System.Text.Json;

namespace GhidraInsight.Storage.Sqlite.Annotations;

/// <summary>
/// The JSON form of a lineage, <c>[[epoch, startsAfterVersion], ...]</c> oldest first: in the <c>annotations.lineage</c>
/// column (where an empty string marks a row from before segments were kept) and in <c>annotation.put</c> payloads.
/// </summary>
internal static class LineageJson
{
    /// <summary>The text stored in <c>annotations.lineage</c>.</summary>
    public static string Format(IReadOnlyList<LineageSegment> segments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, segments);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the segments as the current JSON value (an array of pairs).</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<LineageSegment> segments)
    {
        writer.WriteStartArray();
        foreach (var segment in segments)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(segment.Epoch);
            writer.WriteNumberValue(segment.StartsAfterVersion);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    /// <summary>The segments stored in <c>annotations.lineage</c>; null for an empty (legacy) value.</summary>
    public static IReadOnlyList<LineageSegment>? Parse(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return Read(document.RootElement);
    }

    /// <summary>
    /// The segments of a JSON array of <c>[epoch, startsAfterVersion]</c> pairs, keeping the newest
    /// <see cref="AnnotationLineage.MaxSegments"/>. Throws <see cref="FormatException"/> or
    /// <see cref="InvalidOperationException"/> when the shape is wrong.
    /// </summary>
    public static IReadOnlyList<LineageSegment> Read(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"lineage is a {array.ValueKind}, not an array");
        }

        var segments = new List<LineageSegment>();
        foreach (var pair in array.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            {
                throw new FormatException("a lineage segment is not an [epoch, startsAfterVersion] pair");
            }

            segments.Add(new LineageSegment(pair[0].GetInt64(), pair[1].GetInt64()));
        }

        return AnnotationLineage.Capped(segments);
    }
}
