using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Audit;

/// <summary>
/// What an audited call acted on, when the request's path does not say it (a switchover names its target region in the body).
/// The endpoint sets it; the audit recording reads it.
/// </summary>
public static class AuditTarget
{
    private static readonly object ItemKey = new();

    public static void Set(HttpContext context, string target)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ItemKey] = target;
    }

    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var target) && target is string text ? text : context.Request.Path.ToString();
    }
}
