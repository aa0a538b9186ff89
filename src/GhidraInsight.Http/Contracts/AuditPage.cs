namespace GhidraInsight.Http.Contracts;

/// <summary><c>GET /api/audit</c>: a page of the audit trail in time order; <see cref="Next"/> is the <c>after</c> of the next page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditItem> Items, string? Next);

/// <summary>One recorded action: when, where, by which key (its name), what, to what, and the HTTP status it got.</summary>
public sealed record AuditItem(string Id, DateTimeOffset At, string Region, string Key, string Action, string Target, int Result);
