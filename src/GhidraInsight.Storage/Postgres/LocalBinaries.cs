namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// Raw binaries in the region's data folder (<c>binaries/ab/abcd…</c>), never in the shared database: they stay in the region
/// that received them. Each is written to a temporary file, flushed, then renamed into place, so a reader sees all or nothing.
/// </summary>
internal sealed class LocalBinaries(string dataDirectory)
{
    private readonly string _root = Path.Combine(dataDirectory, "binaries");

    public string PathOf(string id) => Path.Combine(_root, id.Length >= 2 ? id[..2] : "_", id);

    public bool Exists(string id) => File.Exists(PathOf(id));

    /// <summary>Writes the binary; returns whether this call created the file (false: it was already there).</summary>
    public async Task<bool> WriteAsync(string id, ReadOnlyMemory<byte> binary, CancellationToken cancellationToken)
    {
        var path = PathOf(id);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(binary, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<byte[]?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(id), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string id)
    {
        try
        {
            File.Delete(PathOf(id));
        }
        catch (DirectoryNotFoundException)
        {
            // Never held here.
        }
    }
}
