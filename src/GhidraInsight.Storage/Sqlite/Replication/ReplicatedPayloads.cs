using System.Globalization;
using System.Text.Json;
using GhidraInsight.Storage.Sqlite.Annotations;

namespace GhidraInsight.Storage.Sqlite.Replication;

/// <summary>
/// Reads the payloads <see cref="Outbox.OutboxPayloads"/> writes, as they arrive from another region. A payload missing a
/// field or of the wrong shape throws <see cref="InvalidDataException"/>: the batch rolls back rather than half-applying.
/// </summary>
internal static class ReplicatedPayloads
{
    /// <summary>
    /// The analysis (never with a binary: binaries stay in their region) and its creation time in Unix ms. A payload without
    /// <c>name</c> (an unnamed analysis, or one from a build before names) reads as no name.
    /// </summary>
    public static (NewAnalysis Analysis, long CreatedAtMs) AnalysisStored(OutboxEntry entry) => Parse(entry, root =>
    {
        var analysis = new NewAnalysis(
            String(root, "id"),
            String(root, "engine_version"),
            String(root, "format"),
            String(root, "arch"),
            root.GetProperty("size").GetInt64(),
            String(root, "result_json"),
            Binary: null,
            root.TryGetProperty("name", out var name) ? name.GetString() : null);
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
        var version = root.GetProperty("version").GetInt64();
        var epoch = root.GetProperty("epoch").GetInt64();
        // Both are absent from payloads (and conflict records) written before lineage was tracked, and "lineage" from those
        // written before it had segments: such a write reads as the single segment (epoch, base_version).
        var lineage = root.TryGetProperty("lineage", out var segments) ? LineageJson.Read(segments) : null;
        var baseVersion = root.TryGetProperty("base_version", out var stored) ? stored.GetInt64() : lineage is { Count: > 0 } ? lineage[^1].StartsAfterVersion : 0;
        if (lineage is { Count: > 0 })
        {
            CheckLineage(lineage, epoch, version, baseVersion);
        }

        return new Annotation(
            String(root, "analysis_id"),
            parsed,
            root.GetProperty("name").GetString(),
            root.GetProperty("comment").GetString(),
            tags,
            version,
            epoch,
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("updated_at").GetInt64()),
            baseVersion,
            lineage);
    }

    /// <summary>The deleted id and the deletion time in Unix ms.</summary>
    public static (string Id, long DeletedAtMs) AnalysisDeleted(OutboxEntry entry) => Parse(entry, root =>
        (String(root, "id"), root.GetProperty("deleted_at").GetInt64()));

    /// <summary>
    /// A lineage must end in the write's own epoch at its base version, and its segments must start at rising versions below
    /// the write's: anything else would let the history test match versions the chain never had.
    /// </summary>
    private static void CheckLineage(IReadOnlyList<LineageSegment> lineage, long epoch, long version, long baseVersion)
    {
        if (lineage[^1] != new LineageSegment(epoch, baseVersion))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"lineage ends at {lineage[^1]}, not at epoch {epoch} and base_version {baseVersion}"));
        }

        for (var i = 0; i < lineage.Count; i++)
        {
            var start = lineage[i].StartsAfterVersion;
            var end = i == lineage.Count - 1 ? version : lineage[i + 1].StartsAfterVersion;
            if (start < 0 || start >= end)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"lineage segment {i} starts after version {start}, not below the next start or version {end}"));
            }
        }
    }

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
