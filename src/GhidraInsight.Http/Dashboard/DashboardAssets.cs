using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace GhidraInsight.Http.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly at build time (the page, its script and style, and the vendored chart and
/// graph libraries with their licences): nothing comes from a CDN, and a host serves them without a folder on disk. Each is kept
/// as it is and compressed with gzip and Brotli, once, when the first is asked for.
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
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..20];
            // Compressed once here: the graph library alone is 440 KB, about a third of that with gzip.
            var gzip = Compress(bytes, output => new GZipStream(output, CompressionLevel.Optimal));
            var brotli = Compress(bytes, output => new BrotliStream(output, CompressionLevel.Optimal));
            assets[path] = new DashboardAsset(ContentType(path),
                new DashboardRepresentation(bytes, null, $"\"{hash}\""),
                gzip.Length < bytes.Length ? new DashboardRepresentation(gzip, "gzip", $"\"{hash}-gz\"") : null,
                brotli.Length < bytes.Length ? new DashboardRepresentation(brotli, "br", $"\"{hash}-br\"") : null);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(bytes);
        }

        return output.ToArray();
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

/// <summary>One embedded dashboard file: its content type, and its bytes as they are and compressed (null where that is no smaller).</summary>
internal sealed record DashboardAsset(string ContentType, DashboardRepresentation Identity, DashboardRepresentation? Gzip, DashboardRepresentation? Brotli)
{
    /// <summary>The smallest form the client accepts (<c>Accept-Encoding</c>; no q-values of 0 honoured beyond leaving it out).</summary>
    public DashboardRepresentation For(string acceptEncoding)
    {
        var accepted = acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(coding => !coding.Replace(" ", "", StringComparison.Ordinal).EndsWith(";q=0", StringComparison.Ordinal))
            .Select(coding => coding.Split(';')[0].Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Brotli is not null && accepted.Contains("br") ? Brotli
            : Gzip is not null && accepted.Contains("gzip") ? Gzip
            : Identity;
    }
}

/// <summary>A file's bytes in one content coding (null: as they are), with an ETag of its own.</summary>
internal sealed record DashboardRepresentation(byte[] Bytes, string? ContentEncoding, string ETag);
