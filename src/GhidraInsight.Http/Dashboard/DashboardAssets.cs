using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace GhidraInsight.Http.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly at build time (the page, its script and style, and the vendored chart and
/// graph libraries with their licences): nothing comes from a CDN, and a host serves them without a folder on disk.
/// </summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> All = new(Load);

    /// <summary>The page itself.</summary>
    public static DashboardAsset Page => All.Value["index.html"];

    /// <summary>The asset at <paramref name="path"/> (relative to the assets folder, like <c>app.js</c>), or null.</summary>
    public static DashboardAsset? Find(string path) => All.Value.GetValueOrDefault(path);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[Prefix.Length..].Replace('\\', '/');
            assets[path] = new DashboardAsset(bytes, ContentType(path), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..20]}\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "text/plain; charset=utf-8",
    };
}

/// <summary>One embedded dashboard file: its bytes, content type, and an ETag from its content.</summary>
internal sealed record DashboardAsset(byte[] Bytes, string ContentType, string ETag);
