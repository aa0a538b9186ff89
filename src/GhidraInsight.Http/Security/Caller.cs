using GhidraInsight.Configuration;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Security;

/// <summary>Who is calling, as established by <see cref="ApiKeyMiddleware"/>; kept in <see cref="HttpContext.Items"/>.</summary>
public sealed record Caller(string Name, ApiRole Role)
{
    private static readonly object ItemKey = new();

    /// <summary>With no keys configured every caller is trusted (the server then listens on loopback only).</summary>
    public static Caller Anonymous { get; } = new("anonymous", ApiRole.Admin);

    public static Caller Of(HttpContext context) => TryOf(context) ?? Anonymous;

    /// <summary>The caller a valid API key established, or null (no keys configured, no key sent, or a key refused).</summary>
    public static Caller? TryOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var caller) ? (Caller)caller! : null;
    }

    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;
}
