using GhidraInsight.Configuration;

namespace GhidraInsight.Http.Security;

/// <summary>Endpoint metadata: the least role allowed to call it.</summary>
public sealed record RequiredRole(ApiRole Role);
