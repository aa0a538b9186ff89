using System.Text.Json.Serialization;

namespace GhidraInsight.Http.Contracts;

/// <summary>Source-generated snake_case JSON of every wire contract, for producers and consumers alike (enums as names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(GatewayHealth))]
[JsonSerializable(typeof(LiveReport))]
[JsonSerializable(typeof(RegionStatusMap))]
[JsonSerializable(typeof(BestRegion))]
[JsonSerializable(typeof(SwitchoverRequest))]
[JsonSerializable(typeof(SwitchoverResult))]
[JsonSerializable(typeof(FailoverStatus))]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(AnnotationBody))]
[JsonSerializable(typeof(AnnotationList))]
[JsonSerializable(typeof(ConflictPage))]
[JsonSerializable(typeof(AnalysisListPage))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(ReanalysisStatus))]
[JsonSerializable(typeof(ReanalysisRequest))]
[JsonSerializable(typeof(RegionDiagnostics))]
[JsonSerializable(typeof(RegionClock))]
[JsonSerializable(typeof(DeploymentDiagnostics))]
[JsonSerializable(typeof(RegionsOverview))]
[JsonSerializable(typeof(WhoAmI))]
[JsonSerializable(typeof(IReadOnlyList<FailoverEvent>))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
