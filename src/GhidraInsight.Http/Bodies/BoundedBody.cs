namespace GhidraInsight.Http.Bodies;

/// <summary>Reads a request body into memory without ever holding more than a limit (uploads, replication batches, Raft messages).</summary>
public static class BoundedBody
{
    /// <summary>The whole stream, or null as soon as it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
