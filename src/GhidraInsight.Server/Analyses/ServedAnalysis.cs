using System.IO.Compression;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// A stored analysis with its response body ready to send: UTF-8, the serving region spliced in, encoded once; the
/// gzip form is made on first demand and kept with it.
/// </summary>
internal sealed class ServedAnalysis(StoredAnalysis stored, byte[] body)
{
    private readonly Lazy<byte[]> _gzip = new(() => Compress(body));

    public StoredAnalysis Stored { get; } = stored;

    public byte[] Body { get; } = body;

    public byte[] GzipBody => _gzip.Value;

    public string Id => Stored.Id;

    private static byte[] Compress(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }
}
