namespace GhidraInsight.Storage;

/// <summary>
/// The free space of the file system that holds a region's data folder, against the reserve kept for small writes. Below the
/// reserve the region refuses what grows the folder a lot (uploads, replicated analyses) and keeps taking annotations and
/// deletions, which fit in the reserve. The host samples it; whoever admits a write reads the last sample.
/// </summary>
public sealed class DataFolderSpace
{
    private long _freeBytes = -1;

    /// <param name="folder">The data folder (created when missing, so its file system can be asked).</param>
    /// <param name="reserveBytes">Below this many free bytes the folder counts as low; 0 never does.</param>
    public DataFolderSpace(string folder, long reserveBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfNegative(reserveBytes);
        Folder = Path.GetFullPath(folder);
        ReserveBytes = reserveBytes;
    }

    public string Folder { get; }

    public long ReserveBytes { get; }

    /// <summary>Free bytes at the last sample (what an unprivileged writer may use); null before the first sample or when it failed.</summary>
    public long? FreeBytes => Volatile.Read(ref _freeBytes) is var free and >= 0 ? free : null;

    /// <summary>Whether the last sample was below the reserve.</summary>
    public bool IsLow => FreeBytes is { } free && free < ReserveBytes;

    /// <summary>Reads the free space now.</summary>
    /// <returns>Whether the folder is low after this sample.</returns>
    /// <exception cref="IOException">The file system could not be asked (the previous sample is forgotten).</exception>
    public bool Sample()
    {
        try
        {
            Directory.CreateDirectory(Folder);
            // On Unix DriveInfo asks statvfs about the path it is given, so the folder itself names its file system.
            Volatile.Write(ref _freeBytes, new DriveInfo(Folder).AvailableFreeSpace);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Volatile.Write(ref _freeBytes, -1);
            throw new IOException($"The free space of {Folder} cannot be read: {exception.Message}", exception);
        }

        return IsLow;
    }
}
