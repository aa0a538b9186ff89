namespace GhidraInsight.Tests.Shared;

/// <summary>
/// A real file system of a few MiB (a tmpfs mounted for the test), to fill up on purpose. Mounting needs root (CAP_SYS_ADMIN):
/// where this machine does not allow it, tests marked <see cref="FactWhereTmpfsMountsAttribute"/> are skipped with the reason,
/// never passed.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private static readonly Lazy<string?> WhyNotMountableOnce = new(TryMountOnce);
    private readonly TempFolder _mountPoint;
    private int _fillers;

    private SmallFileSystem(TempFolder mountPoint) => _mountPoint = mountPoint;

    public string Path => _mountPoint.Path;

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Why this machine cannot mount a tmpfs for a test, or null when it can (tried once per test run).</summary>
    public static string? WhyNotMountable => WhyNotMountableOnce.Value;

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/>.</summary>
    public static SmallFileSystem Mount(long bytes)
    {
        var mountPoint = new TempFolder("ghidrainsight-smallfs-");
        var (exit, output) = ExternalTool.RunWithInput("mount", "", "-t", "tmpfs", "-o", $"size={bytes / 1024}k,mode=0700", "tmpfs", mountPoint.Path);
        if (exit != 0)
        {
            mountPoint.Dispose();
            throw new InvalidOperationException($"cannot mount a tmpfs at {mountPoint.Path}: {output.Trim()}");
        }
        return new SmallFileSystem(mountPoint);
    }

    private static string? TryMountOnce()
    {
        try
        {
            using var probe = Mount(1L << 20);
            return null;
        }
        catch (InvalidOperationException exception)
        {
            return $"this machine does not let the tests mount a small file system (needs root or CAP_SYS_ADMIN): {exception.Message}";
        }
    }

    /// <summary>Writes a filler file so that about <paramref name="leaveFree"/> bytes stay free (0: until the disk refuses).</summary>
    public void Fill(long leaveFree)
    {
        var path = System.IO.Path.Combine(Path, $"filler-{_fillers++}");
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (FreeBytes - chunk.Length >= leaveFree)
            {
                file.Write(chunk);
            }
            if (leaveFree == 0)
            {
                // Byte by byte past the last chunk, until the file system says no.
                while (true)
                {
                    file.Write(chunk, 0, 1);
                }
            }
        }
        catch (IOException) when (leaveFree == 0)
        {
        }
    }

    /// <summary>Deletes every filler file.</summary>
    public void Free()
    {
        foreach (var filler in Directory.EnumerateFiles(Path, "filler-*"))
        {
            File.Delete(filler);
        }
    }

    public void Dispose()
    {
        ExternalTool.RunWithInput("umount", "", Path);
        _mountPoint.Dispose();
    }
}
