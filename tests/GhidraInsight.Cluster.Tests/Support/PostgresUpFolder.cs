using System.Diagnostics;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>
/// The data folder of an <c>up --storage postgres</c> under test: readable by the postgres user (temporary folders are 0700,
/// and as root PostgreSQL runs as postgres). Disposed after up, it stops whatever database a failed run left running (one
/// whose Patroni was killed or paused), then deletes itself.
/// </summary>
internal sealed class PostgresUpFolder : IDisposable
{
    private readonly TempFolder _folder;

    public PostgresUpFolder(string prefix)
    {
        _folder = new TempFolder(prefix);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder.Path, (UnixFileMode)0b111_101_101);
        }
    }

    public string Path => _folder.Path;

    /// <summary>Where up keeps PostgreSQL, Patroni and etcd (<c>REGION.pg</c>, <c>REGION.patroni.yml</c>, …).</summary>
    public string Postgres => System.IO.Path.Combine(Path, "postgres");

    public void Dispose()
    {
        foreach (var pidFile in Directory.Exists(Postgres) ? Directory.GetFiles(Postgres, "postmaster.pid", SearchOption.AllDirectories) : [])
        {
            using var kill = Process.Start("kill", ["-KILL", File.ReadLines(pidFile).First()]);
            kill.WaitForExit();
        }

        _folder.Dispose();
    }
}
