using System.Diagnostics;
using System.Globalization;

namespace GhidraInsight.Tests.Shared;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run, made with the server's own <c>initdb</c> and <c>pg_ctl</c>: loopback only,
/// a password-protected user (SCRAM), no fsync (commits survive the server being killed, not the machine). One per test process, started on first use and
/// stopped when the process exits (<see cref="Instance"/>), or one of a test's own that it may stop (<see cref="StartPrivate"/>).
/// As root (where PostgreSQL refuses to run) the server runs as the <c>postgres</c> user. Administration goes through <c>psql</c>.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    public const string User = "ghidra";

    private static readonly Lazy<PostgresServer> Shared = new(Start);

    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _durable;

    private PostgresServer(string folder, string bin, int port, string password, bool durable)
    {
        _durable = durable;
        _folder = folder;
        _bin = bin;
        Port = port;
        Password = password;
    }

    public static PostgresServer Instance => Shared.Value;

    public int Port { get; }

    public string Password { get; }

    /// <summary>A connection string without the password (the store takes it apart, as in production).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username={User};Timeout=5";

    /// <summary>Creates <paramref name="database"/> (letters, digits and '_') unless it exists.</summary>
    public void EnsureDatabase(string database)
    {
        if (Psql("postgres", $"SELECT 1 FROM pg_database WHERE datname = '{database}';").Length == 0)
        {
            Psql("postgres", $"CREATE DATABASE \"{database}\";");
        }
    }

    /// <summary>Runs SQL in <paramref name="database"/> as the cluster's user (to inspect or tamper with what a store wrote); its output, unaligned.</summary>
    public string Psql(string database, string sql) => GhidraInsight.Tests.Shared.Psql.Run(_bin, Port, User, Password, database, sql);

    /// <summary>A long from <see cref="Psql"/>.</summary>
    public long PsqlLong(string database, string sql) => long.Parse(Psql(database, sql), CultureInfo.InvariantCulture);

    /// <summary>
    /// A cluster of the caller's own (about two seconds to make): it may stop and start it at will, and must dispose it.
    /// <paramref name="durable"/>: fsync on, as in production (benchmarks); otherwise off, for speed.
    /// </summary>
    public static PostgresServer StartPrivate(bool durable = false, string? password = null) => Start(stopAtExit: false, durable, password);

    /// <summary>
    /// A streaming standby of this server (<c>pg_basebackup -R</c> into a folder of its own, started on another port): a region's
    /// own database in PostgreSQL mode, without Patroni. The caller disposes it.
    /// </summary>
    public PostgresServer StartStandby()
    {
        var folder = Directory.CreateTempSubdirectory("gi-postgres-standby-").FullName;
        if (Environment.UserName == "root")
        {
            Run("chown", ["-R", "postgres:postgres", folder]);
        }

        AsServerUser(Path.Combine(_bin, "pg_basebackup"), ["-d", $"host=127.0.0.1 port={Port} user={User} password={Password}", "-D", Path.Combine(folder, "data"),
            "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"], Path.Combine(folder, "basebackup.log"));
        var port = FreePorts.Take(1)[0];
        StartServer(_bin, folder, port, _durable);
        var standby = new PostgresServer(folder, _bin, port, Password, _durable);
        standby.WatchOverTestProcess();
        return standby;
    }

    /// <summary>The running server's postmaster (from its <c>postmaster.pid</c>).</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_folder, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>Stops the server at once (<c>pg_ctl stop -m immediate</c>), as a crash would; <see cref="Restart"/> brings it back.</summary>
    public void Kill() => Stop();

    /// <summary>Starts the stopped server again on the same port.</summary>
    public void Restart() => StartServer(_bin, _folder, Port, _durable);

    /// <summary>Stops a private cluster and deletes its folder.</summary>
    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
    }

    private static PostgresServer Start() => Start(stopAtExit: true, durable: false);

    private static PostgresServer Start(bool stopAtExit, bool durable, string? givenPassword = null)
    {
        var bin = PostgresPrograms.Folder();
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); .ci/run installs it (apt-get install postgresql).");
        }

        var folder = Directory.CreateTempSubdirectory("gi-postgres-").FullName;
        var password = givenPassword ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(Path.Combine(folder, "pwfile"), password + "\n");
        if (Environment.UserName == "root")
        {
            Run("chown", ["-R", "postgres:postgres", folder]);
        }

        AsServerUser(Path.Combine(bin, "initdb"), ["-D", Path.Combine(folder, "data"), "-U", User, "--auth=scram-sha-256", $"--pwfile={Path.Combine(folder, "pwfile")}", "-E", "UTF8",
            "--locale=C", "--no-sync"], Path.Combine(folder, "initdb.log"));
        var port = FreePorts.Take(1)[0];
        StartServer(bin, folder, port, durable);
        var server = new PostgresServer(folder, bin, port, password, durable);
        server.WatchOverTestProcess();
        if (stopAtExit)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        }

        return server;
    }

    private static void StartServer(string bin, string folder, int port, bool durable)
    {
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200{(durable ? "" : " -c fsync=off -c full_page_writes=off")}");
        AsServerUser(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-o", options, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start"],
            Path.Combine(folder, "pg_ctl.log"));
    }

    /// <summary>Stops the server now (the watchdog removes the folder once this process is gone).</summary>
    private void Stop()
    {
        // Already stopped (a test killed it): nothing to do.
        if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
        {
            AsServerUser(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], Path.Combine(_folder, "stop.log"));
        }
    }

    /// <summary>
    /// A detached shell that waits for this test process to end however it ends (even SIGKILL), then stops the server if it
    /// still runs and deletes the folder.
    /// </summary>
    private void WatchOverTestProcess()
    {
        var pgCtl = $"{Quote(Path.Combine(_bin, "pg_ctl"))} -D {Quote(Path.Combine(_folder, "data"))} -m immediate -w stop";
        var stop = Environment.UserName == "root" ? $"runuser -u postgres -- {pgCtl}" : pgCtl;
        var watch = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop}; rm -rf {Quote(_folder)}";
        Run("sh", ["-c", $"setsid sh -c {Quote(watch)} > /dev/null 2>&1 < /dev/null &"]);
    }

    /// <summary>Runs a server program (as <c>postgres</c> when we are root), every stream to a log file so no daemon holds our pipes.</summary>
    private static void AsServerUser(string program, string[] arguments, string log)
    {
        var command = string.Join(' ', new[] { program }.Concat(arguments).Select(Quote));
        var shell = $"{command} > {Quote(log)} 2>&1 < /dev/null";
        if (Environment.UserName == "root")
        {
            Run("runuser", ["-u", "postgres", "--", "sh", "-c", shell], log);
        }
        else
        {
            Run("sh", ["-c", shell], log);
        }
    }

    private static void Run(string program, string[] arguments, string? log = null)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
        {
            var output = log is not null && File.Exists(log) ? File.ReadAllText(log) : "";
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {output}");
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
