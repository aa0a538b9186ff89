using GhidraInsight.Configuration;

namespace GhidraInsight.Server.Security;

/// <summary>Endpoint metadata: the least role allowed to call it.</summary>
internal sealed record RequiredRole(ApiRole Role);
