using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Failover;

/// <summary>Source-generated JSON for the Raft command and the state machine's snapshot.</summary>
[JsonSerializable(typeof(PrimaryCommand))]
[JsonSerializable(typeof(PrimaryState))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class PrimaryJsonContext : JsonSerializerContext;
