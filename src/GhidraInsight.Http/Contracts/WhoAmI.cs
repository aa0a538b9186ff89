namespace GhidraInsight.Http.Contracts;

/// <summary>
/// <c>GET /api/whoami</c>: the caller the presented API key establishes, so a client (the dashboard) offers only what the role
/// allows. Without keys configured every caller is <c>anonymous</c> with the <c>admin</c> role (the host is then loopback-only).
/// </summary>
/// <param name="Name">The key's name, or <c>anonymous</c>.</param>
/// <param name="Role"><c>read</c>, <c>analyze</c>, <c>annotate</c> or <c>admin</c>.</param>
/// <param name="KeysRequired">Whether this host asks for API keys.</param>
public sealed record WhoAmI(string Name, string Role, bool KeysRequired);
