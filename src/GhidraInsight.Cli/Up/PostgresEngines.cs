using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Npgsql;

namespace GhidraInsight.Cli.Up;

/// <summary>
/// The database tier of <c>up --storage postgres</c>, real engines on this machine: a three-member etcd (one member per region)
/// and one Patroni-managed PostgreSQL per region, bootstrapped into streaming replication in Patroni's synchronous mode. Ports
/// follow the first region's: PostgreSQL at +100, Patroni's REST API at +200, etcd's clients at +300 and peers at +400 (so a
/// restart finds the same cluster). Everything lives under <c>DATA/postgres</c> and survives restarts. As root, Patroni and
/// PostgreSQL run as the <c>postgres</c> user. Each engine runs in its own session, so a terminal's Ctrl+C reaches up, which
/// stops the regions first and the databases after.
/// </summary>
internal sealed class PostgresEngines(string folder, IReadOnlyList<PostgresEngines.Member> members)
{
    /// <summary>Patroni's timings on one machine: a dead leader's key expires within ttl, and the loop runs every loop_wait.</summary>
    public const int Ttl = 10;
    public const int LoopWait = 1;
    public const int RetryTimeout = 4;

    /// <summary>The database and role the regions use.</summary>
    public const string Database = "ghidrainsight";
    public const string AppUser = "ghidrainsight";
    private const string Superuser = "postgres";

    private readonly Dictionary<string, Process> _etcd = [];
    private readonly Dictionary<string, Process> _patroni = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly CancellationTokenSource _stopping = new();
    private Task _supervision = Task.CompletedTask;

    /// <summary>One region's engines and their ports.</summary>
    public sealed record Member(string Region, int PostgresPort, int RestPort, int EtcdClientPort, int EtcdPeerPort)
    {
        public Uri RestApi => new($"http://127.0.0.1:{RestPort}/");
    }

    public string Folder { get; } = folder;

    public IReadOnlyList<Member> Members { get; } = members;

    /// <summary>The file holding the regions' database password (<c>storage.password_file</c>).</summary>
    public string AppPasswordFile => Path.Combine(Folder, "app-password");

    /// <summary>Ports for each region, from the first region's port.</summary>
    public static IReadOnlyList<Member> Plan(IReadOnlyList<string> regions, int firstRegionPort) =>
        [.. regions.Select((region, i) => new Member(region, firstRegionPort + 100 + i, firstRegionPort + 200 + i, firstRegionPort + 300 + i, firstRegionPort + 400 + i))];

    /// <summary>A connection string naming every region's PostgreSQL, for the regions (no password).</summary>
    public string ConnectionString => $"Host={string.Join(',', Members.Select(m => $"127.0.0.1:{m.PostgresPort}"))};Database={Database};Username={AppUser}";

    /// <summary>One line naming what is missing to run the engines (and the Debian packages), or null.</summary>
    public static string? MissingTools()
    {
        var missing = new List<string>();
        // Both are started by name, so they are looked for where the shell that starts them looks: on PATH.
        if (!OnPath("patroni"))
        {
            missing.Add("patroni");
        }

        if (!OnPath("etcd"))
        {
            missing.Add("etcd-server");
        }

        if (PostgresBin() is null)
        {
            missing.Add("postgresql");
        }

        return missing.Count == 0
            ? null
            : $"up --storage postgres runs PostgreSQL under Patroni and etcd on this machine, and {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not installed: "
                + $"sudo apt-get install {string.Join(' ', missing)}";
    }

    /// <summary>
    /// Starts etcd and Patroni for every region and waits until one database leads, every other one streams from it, and the
    /// regions' database and role exist everywhere. Returns null when ready, else what went wrong.
    /// </summary>
    /// <summary>
    /// Whether Patroni talks to etcd over its v2 API. Patroni before 3.0.3 (Debian bookworm ships 3.0.2) may overwrite the leader
    /// key over the v3 API when its loop was held up past <c>ttl</c> (its database frozen) and then resumes: a replica promoted
    /// meanwhile is demoted again, and the writes it acknowledged are lost (fixed by patroni/patroni#2689). Over the v2 API it
    /// renews the key only while it still holds it (compare-and-swap), and demotes itself otherwise; etcd then runs with
    /// <c>--enable-v2</c>.
    /// </summary>
    public static bool UsesEtcdV2 => EtcdV2.Value;

    private static readonly Lazy<bool> EtcdV2 = new(() => NeedsEtcdV2(Output("patroni", "--version")));

    /// <summary>Whether the Patroni that printed <paramref name="version"/> (<c>patroni 3.0.2</c>) needs etcd's v2 API.</summary>
    internal static bool NeedsEtcdV2(string version) =>
        Version.TryParse(System.Text.RegularExpressions.Regex.Match(version, @"\d+\.\d+\.\d+").Value, out var parsed) && parsed < new Version(3, 0, 3);

    public async Task<string?> StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var superuserPassword = Secret("superuser-password");
        var appPassword = Secret("app-password");
        foreach (var member in Members)
        {
            await File.WriteAllTextAsync(Path.Combine(Folder, $"{member.Region}.patroni.yml"), PatroniConfig(member, superuserPassword), cancellationToken);
        }

        if (Environment.UserName == "root")
        {
            // PostgreSQL refuses to run as root: Patroni and its database run as the postgres user, in folders it owns.
            await RunAsync("chown", ["-R", "postgres:postgres", Folder], cancellationToken);
            using var probe = Process.Start(new ProcessStartInfo("setpriv",
                ["--reuid=postgres", "--regid=postgres", "--init-groups", "test", "-r", Path.Combine(Folder, $"{Members[0].Region}.patroni.yml"), "-a", "-w", Folder])
            { UseShellExecute = false })!;
            await probe.WaitForExitAsync(cancellationToken);
            if (probe.ExitCode != 0)
            {
                return $"PostgreSQL runs as the postgres user here (not as root), and that user cannot reach {Folder}: a folder above it is closed to other users. "
                    + "Give up a --data folder the postgres user can reach (for example under /var/tmp), or open the folders above it (chmod o+x)";
            }
        }

        // etcd after the ownership change above: it would be creating and removing files under its folder meanwhile.
        foreach (var member in Members)
        {
            StartEtcd(member);
        }

        foreach (var member in Members)
        {
            StartPatroni(member);
        }

        var clock = Stopwatch.StartNew();
        string? leader = null;
        while (clock.Elapsed < timeout && (leader = await HealthyLeaderAsync(cancellationToken)) is null)
        {
            if (_patroni.Values.Concat(_etcd.Values).FirstOrDefault(p => p.HasExited) is { } exited)
            {
                return $"an engine exited while the databases were starting (see the logs in {Folder})";
            }

            await Task.Delay(250, cancellationToken);
        }

        if (leader is null)
        {
            return $"Patroni did not bring up a leader and {Members.Count - 1} streaming replicas within {timeout.TotalSeconds:0} s (see the logs in {Folder})";
        }

        await EnsureDatabaseAsync(Members.First(m => m.Region == leader), superuserPassword, appPassword, cancellationToken);
        foreach (var member in Members)
        {
            while (!await HasDatabaseAsync(member, appPassword, cancellationToken))
            {
                if (clock.Elapsed > timeout)
                {
                    return $"the database {Database} did not reach {member.Region}'s PostgreSQL within {timeout.TotalSeconds:0} s";
                }

                await Task.Delay(200, cancellationToken);
            }
        }

        // As systemd would in production: a Patroni that dies is started again, and brings its PostgreSQL back. Not at once: only
        // after its leader key would have expired, so a lost leader is replaced (the cluster fails over, as it would for a lost
        // machine) and comes back as a replica, rewound with pg_rewind, instead of taking back a key it still held.
        _supervision = SuperviseAsync(_stopping.Token);
        foreach (var member in Members)
        {
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{member.Region}: PostgreSQL on 127.0.0.1:{member.PostgresPort}{(member.Region == leader ? " (Patroni's leader)" : " (streaming replica)")}, "
                + $"Patroni on {member.RestApi}, etcd on 127.0.0.1:{member.EtcdClientPort} (in {Folder})"));
        }

        return null;
    }

    /// <summary>Stops Patroni (which stops its PostgreSQL cleanly), then etcd; whatever does not stop in time is killed.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await _supervision;
        await Task.WhenAll(_patroni.Values.Select(p => StopAsync(p, TimeSpan.FromSeconds(30))));
        foreach (var member in Members)
        {
            // A PostgreSQL whose Patroni had to be killed would otherwise be left running.
            if (PostmasterPid(member) is { } pid && IsRunning(pid))
            {
                Signals.Terminate(pid);
            }
        }

        await Task.WhenAll(_etcd.Values.Select(p => StopAsync(p, TimeSpan.FromSeconds(10))));
        foreach (var process in _patroni.Values.Concat(_etcd.Values))
        {
            process.Dispose();
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var restartAfter = TimeSpan.FromSeconds(Ttl + (2 * LoopWait) + 2);
        var exitedAt = new Dictionary<string, DateTime>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
                foreach (var member in Members.Where(m => _patroni[m.Region].HasExited))
                {
                    if (!exitedAt.TryGetValue(member.Region, out var at))
                    {
                        exitedAt[member.Region] = DateTime.UtcNow;
                        await Console.Error.WriteLineAsync(
                            $"ghidrainsight: Patroni of {member.Region} exited with code {_patroni[member.Region].ExitCode}; starting it again in {restartAfter.TotalSeconds:0} s "
                            + $"(its log: {Path.Combine(Folder, $"{member.Region}.patroni.log")})");
                    }
                    else if (DateTime.UtcNow - at >= restartAfter)
                    {
                        exitedAt.Remove(member.Region);
                        _patroni[member.Region].Dispose();
                        StartPatroni(member);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void StartEtcd(Member member)
    {
        var cluster = string.Join(',', Members.Select(m => $"{m.Region}=http://127.0.0.1:{m.EtcdPeerPort}"));
        // A heartbeat and election timeout for one machine; deploy/ explains the cross-region values.
        _etcd[member.Region] = Detached(string.Create(CultureInfo.InvariantCulture,
            $"exec setsid etcd --name {member.Region} --data-dir {Quote(Path.Combine(Folder, $"{member.Region}.etcd"))} "
            + $"--listen-client-urls http://127.0.0.1:{member.EtcdClientPort} --advertise-client-urls http://127.0.0.1:{member.EtcdClientPort} "
            + $"--listen-peer-urls http://127.0.0.1:{member.EtcdPeerPort} --initial-advertise-peer-urls http://127.0.0.1:{member.EtcdPeerPort} "
            + $"--initial-cluster {cluster} --initial-cluster-state new --initial-cluster-token ghidrainsight-up "
            + $"--heartbeat-interval 100 --election-timeout 1000{(UsesEtcdV2 ? " --enable-v2" : "")} "
            + $">> {Quote(Path.Combine(Folder, $"{member.Region}.etcd.log"))} 2>&1 < /dev/null"));
    }

    private void StartPatroni(Member member)
    {
        var user = Environment.UserName == "root" ? "setpriv --reuid=postgres --regid=postgres --init-groups " : "";
        _patroni[member.Region] = Detached(
            $"exec setsid {user}patroni {Quote(Path.Combine(Folder, $"{member.Region}.patroni.yml"))} >> {Quote(Path.Combine(Folder, $"{member.Region}.patroni.log"))} 2>&1 < /dev/null");
    }

    private string PatroniConfig(Member member, string superuserPassword) => string.Create(CultureInfo.InvariantCulture, $"""
        # Written by ghidrainsight up --storage postgres for region {member.Region}; rewritten at every start.
        scope: ghidrainsight
        name: {member.Region}
        restapi:
          listen: 127.0.0.1:{member.RestPort}
          connect_address: 127.0.0.1:{member.RestPort}
        {(UsesEtcdV2 ? "etcd" : "etcd3")}:
          hosts: {string.Join(',', Members.Select(m => $"127.0.0.1:{m.EtcdClientPort}"))}
        bootstrap:
          dcs:
            ttl: {Ttl}
            loop_wait: {LoopWait}
            retry_timeout: {RetryTimeout}
            maximum_lag_on_failover: 1048576
            synchronous_mode: true
            postgresql:
              use_pg_rewind: true
              use_slots: true
              parameters:
                wal_log_hints: "on"
          initdb:
            - encoding: UTF8
            - locale: C
            - data-checksums
          pg_hba:
            - host replication replicator 127.0.0.1/32 scram-sha-256
            - host all all 127.0.0.1/32 scram-sha-256
        postgresql:
          listen: 127.0.0.1:{member.PostgresPort}
          connect_address: 127.0.0.1:{member.PostgresPort}
          data_dir: {Path.Combine(Folder, $"{member.Region}.pg")}
          bin_dir: {PostgresBin()}
          pgpass: {Path.Combine(Folder, $"{member.Region}.pgpass")}
          authentication:
            superuser:
              username: {Superuser}
              password: {superuserPassword}
            replication:
              username: replicator
              password: {superuserPassword}
            rewind:
              username: rewinder
              password: {superuserPassword}
          parameters:
            unix_socket_directories: /tmp
        tags:
          nofailover: false
          noloadbalance: false
          clonefrom: false
          nosync: false

        """);

    /// <summary>The member that leads while every member runs (replicas streaming), per Patroni's <c>/cluster</c>; null until then.</summary>
    private async Task<string?> HealthyLeaderAsync(CancellationToken cancellationToken)
    {
        foreach (var member in Members)
        {
            try
            {
                var cluster = await _http.GetFromJsonAsync<JsonObject>(new Uri(member.RestApi, "cluster"), cancellationToken);
                var running = cluster?["members"]?.AsArray().Where(m => (string?)m?["state"] is "running" or "streaming").ToList() ?? [];
                var leaders = running.Where(m => (string?)m?["role"] is "leader" or "master").ToList();
                return running.Count == Members.Count && leaders.Count == 1 ? (string?)leaders[0]!["name"] : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
            }
        }

        return null;
    }

    /// <summary>Creates the regions' role and database on the leader unless they exist.</summary>
    private static async Task EnsureDatabaseAsync(Member leader, string superuserPassword, string appPassword, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = leader.PostgresPort, Database = "postgres", Username = Superuser, Password = superuserPassword, Pooling = false,
        };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var role = new NpgsqlCommand($"SELECT 1 FROM pg_roles WHERE rolname = '{AppUser}';", connection))
        {
            if (await role.ExecuteScalarAsync(cancellationToken) is null)
            {
                // The password is a hex string written by up: nothing in it needs quoting.
                await using var create = new NpgsqlCommand($"CREATE ROLE {AppUser} LOGIN PASSWORD '{appPassword}';", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // pg_stat_replication's lag columns are for pg_monitor: the regions report the standbys' lag from them.
        await using (var monitor = new NpgsqlCommand($"GRANT pg_monitor TO {AppUser};", connection))
        {
            await monitor.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}';", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database} OWNER {AppUser};", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<bool> HasDatabaseAsync(Member member, string appPassword, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = member.PostgresPort, Database = Database, Username = AppUser, Password = appPassword, Pooling = false, Timeout = 2,
        };
        try
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>A generated secret kept in <c>DATA/postgres/NAME</c> (made once, readable by its owner only).</summary>
    private string Secret(string name)
    {
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return File.ReadAllText(path).Trim();
    }

    private int? PostmasterPid(Member member)
    {
        var file = Path.Combine(Folder, $"{member.Region}.pg", "postmaster.pid");
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));

    private static string? PostgresBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;

    private static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        Signals.Terminate(process.Id);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs in the engines' folder: Patroni (as the postgres user) changes into its working directory when it starts helper
    /// processes, and up's own may be a folder closed to that user.
    /// </summary>
    private Process Detached(string shell) =>
        Process.Start(new ProcessStartInfo("sh", ["-c", shell]) { UseShellExecute = false, WorkingDirectory = Folder })!;

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with {process.ExitCode}");
        }
    }

    /// <summary>What <paramref name="program"/> prints on standard output (empty when it cannot be run).</summary>
    private static string Output(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
