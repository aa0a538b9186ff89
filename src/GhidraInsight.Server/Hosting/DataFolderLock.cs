namespace GhidraInsight.Server.Hosting;

/// <summary>
/// One region per data folder: a region holds an exclusive lock on <c>ghidrainsight.lock</c> in its data folder while it runs,
/// so a second one started on the same folder (the same config started twice, a copy-pasted <c>data_dir</c>) stops before it
/// opens the database or the Raft log the running one is writing. The lock is the operating system's (flock), so it goes
/// with the process, however the process ends; the empty file stays.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    private const string FileName = "ghidrainsight.lock";

    /// <summary>errno EWOULDBLOCK/EAGAIN: another open file holds the lock.</summary>
    private const int WouldBlock = 11;

    private readonly FileStream? _file;

    private DataFolderLock(FileStream? file) => _file = file;

    /// <summary>Takes the lock, or throws <see cref="IOException"/> saying the folder is in use.</summary>
    public static DataFolderLock Acquire(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        try
        {
            return new DataFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception) when (exception.HResult == WouldBlock)
        {
            throw new IOException($"its data folder {Path.GetFullPath(dataDir)} is in use by another ghidrainsight region (it holds {FileName}); "
                + "each region needs a data folder of its own", exception);
        }
        catch (IOException) when (!File.Exists(path))
        {
            // The file could not even be made (a full disk): a region still starts there and refuses what needs room, so it
            // starts unlocked rather than not at all.
            return new DataFolderLock(null);
        }
    }

    public void Dispose() => _file?.Dispose();
}
