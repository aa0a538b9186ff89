using System.Buffers;
using System.Text;
using System.Text.Json;

namespace GhidraInsight.Storage;

/// <summary>An <see cref="AuditEntry"/> as the JSON payload of its <c>audit.recorded</c> outbox entry, and back.</summary>
internal static class AuditRows
{
    /// <summary>The columns <see cref="Read"/> expects, in its order; every store's <c>audit</c> table has them.</summary>
    public const string Columns = "id, at, region, key_name, action, target, result";

    /// <summary>The entry in the current row of a query that selected <see cref="Columns"/>.</summary>
    public static AuditEntry Read(System.Data.Common.DbDataReader reader) =>
        new(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5), reader.GetInt32(6));

    public static string ToJson(AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", entry.Id);
            writer.WriteNumber("at", entry.At.ToUnixTimeMilliseconds());
            writer.WriteString("region", entry.Region);
            writer.WriteString("key_name", entry.KeyName);
            writer.WriteString("action", entry.Action);
            writer.WriteString("target", entry.Target);
            writer.WriteNumber("result", entry.Result);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="InvalidDataException">The payload is not an audit entry (the batch it came in is refused whole).</exception>
    public static AuditEntry FromJson(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return new AuditEntry(Text(root, "id"), DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("at").GetInt64()), Text(root, "region"),
                Text(root, "key_name"), Text(root, "action"), Text(root, "target"), root.GetProperty("result").GetInt32());
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"an audit.recorded payload is not an audit entry: {exception.Message}", exception);
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.GetProperty(name).GetString() is { Length: > 0 } text ? text : throw new FormatException($"'{name}' is empty");
}
