using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Replication;

/// <summary>Source-generated snake_case JSON of the replication wire types.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ReplicationBatch))]
[JsonSerializable(typeof(ReplicationAck))]
internal sealed partial class ReplicationJsonContext : JsonSerializerContext;
