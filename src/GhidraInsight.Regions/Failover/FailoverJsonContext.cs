using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Failover;

/// <summary>Source-generated JSON for the failover API (snake_case, enums as names).</summary>
[JsonSerializable(typeof(FailoverStatus))]
[JsonSerializable(typeof(SwitchoverRequest))]
[JsonSerializable(typeof(SwitchoverResult))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
public sealed partial class FailoverJsonContext : JsonSerializerContext;
