using System.Globalization;
using System.Text.Json;

namespace GhidraInsight.Storage.Sqlite.Replication;

/// <summary>
/// Reads the payloads <see cref="Outbox.OutboxPayloads"/> writes, as they arrive from another region. A payload missing a
/// field or of the wrong shape throws <see cref="InvalidDataException"/>: the batch rolls back rather than half-applying.
/// </summary>
internal static class ReplicatedPayloads
{
    /// <summary>The analysis (never with a binary: binaries stay in their region) and its creation time in Unix ms.</summary>
    public static (NewAnalysis Analysis, long CreatedAtMs) AnalysisStored(OutboxEntry entry) => Parse(entry, root =>
    {
        var analysis = new NewAnalysis(
            String(root, "id"),
            String(root, "engine_version"),
            String(root, "format"),
            String(root, "arch"),
            root.GetProperty("size").GetInt64(),
            String(root, "result_json"),
            Binary: null);
        return (analysis, root.GetProperty("created_at").GetInt64());
    });

    public static Annotation AnnotationPut(OutboxEntry entry) => Parse(entry, ReadAnnotation);

    /// <summary>
    /// An annotation in the <c>annotation.put</c> payload format (also how conflict records keep the losing write). Throws
    /// <see cref="KeyNotFoundException"/>, <see cref="InvalidOperationException"/> or <see cref="FormatException"/> when malformed.
    /// </summary>
    public static Annotation ReadAnnotation(JsonElement root)
    {
        var address = String(root, "address");
        if (!address.StartsWith("0x", StringComparison.Ordinal)
            || !ulong.TryParse(address.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed))
        {
            throw new FormatException($"address '{address}' is not 0x-prefixed hex");
        }

        var tags = root.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString() ?? string.Empty).ToList();
        return new Annotation(
            String(root, "analysis_id"),
            parsed,
            root.GetProperty("name").GetString(),
            root.GetProperty("comment").GetString(),
            tags,
            root.GetProperty("version").GetInt64(),
            root.GetProperty("epoch").GetInt64(),
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("updated_at").GetInt64()),
            // Absent from payloads (and conflict records) written before lineage was tracked.
            root.TryGetProperty("base_version", out var baseVersion) ? baseVersion.GetInt64() : 0);
    }

    /// <summary>The deleted id and the deletion time in Unix ms.</summary>
    public static (string Id, long DeletedAtMs) AnalysisDeleted(OutboxEntry entry) => Parse(entry, root =>
        (String(root, "id"), root.GetProperty("deleted_at").GetInt64()));

    private static string String(JsonElement root, string name) =>
        root.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    private static T Parse<T>(OutboxEntry entry, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(entry.Payload);
            return read(document.RootElement);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"Replicated outbox entry {entry.Sequence} ({entry.Kind}, key '{entry.Key}') has a malformed payload: {error.Message}"),
                error);
        }
    }
}
