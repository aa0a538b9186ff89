using System.Text.Json;

namespace GhidraInsight.Regions.Replication;

/// <summary>Reads and writes the replication wire types (System.Text.Json, snake_case), for both sides.</summary>
public static class ReplicationJson
{
    /// <summary>UTF-8 JSON of a batch.</summary>
    public static byte[] Serialize(ReplicationBatch batch) =>
        JsonSerializer.SerializeToUtf8Bytes(batch, ReplicationJsonContext.Default.ReplicationBatch);

    /// <summary>UTF-8 JSON of an acknowledgement.</summary>
    public static byte[] Serialize(ReplicationAck ack) =>
        JsonSerializer.SerializeToUtf8Bytes(ack, ReplicationJsonContext.Default.ReplicationAck);

    /// <summary>Parses a batch; throws <see cref="JsonException"/> when the JSON is malformed or lacks a required member.</summary>
    public static ReplicationBatch DeserializeBatch(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, ReplicationJsonContext.Default.ReplicationBatch) ?? throw new JsonException("batch is null");

    /// <summary>Parses an acknowledgement; throws <see cref="JsonException"/> when malformed.</summary>
    public static ReplicationAck DeserializeAck(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, ReplicationJsonContext.Default.ReplicationAck) ?? throw new JsonException("ack is null");
}
