using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace GhidraInsight.Tests.Shared;

/// <summary>
/// A real PostgreSQL cluster kept available by Patroni over a three-member etcd, on this machine: one etcd member and one
/// Patroni-managed PostgreSQL 15 per named member, bootstrapped into streaming replication. Short timings for tests (ttl 10 s,
/// loop_wait 1 s, retry_timeout 4 s). As root the Patroni processes run as <c>postgres</c>. A watchdog stops every process once
/// the test process is gone, however it ends.
/// </summary>
internal sealed class PatroniCluster : IDisposable
{
    public const string Superuser = "postgres";
    public const int Ttl = 10;
    public const int LoopWait = 1;

    private readonly string _folder;
    private readonly string _bin;
    private readonly Dictionary<string, Member> _members;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };

    private PatroniCluster(string folder, string bin, Dictionary<string, Member> members, string password)
    {
        _folder = folder;
        _bin = bin;
        _members = members;
        Password = password;
    }

    /// <summary>The superuser's password (the tests' application connects as the superuser).</summary>
    public string Password { get; }

    public IReadOnlyList<string> Names => [.. _members.Keys];

    /// <summary>PostgreSQL's port of a member.</summary>
    public int PostgresPort(string name) => _members[name].PostgresPort;

    /// <summary>Patroni's REST API of a member.</summary>
    public Uri RestApi(string name) => new($"http://127.0.0.1:{_members[name].RestPort}/");

    /// <summary>etcd's client URLs, comma-separated.</summary>
    public string EtcdEndpoints => string.Join(',', _members.Values.Select(m => $"http://127.0.0.1:{m.EtcdClientPort}"));

    /// <summary>A connection string naming every member's database (no password), <paramref name="first"/>'s listed first when given.</summary>
    public string ConnectionString(string database, string? first = null) =>
        $"Host={string.Join(',', _members.Values.OrderBy(m => m.Name == first ? 0 : 1).Select(m => $"127.0.0.1:{m.PostgresPort}"))};Database={database};Username={Superuser};Timeout=3";

    /// <summary>Starts etcd and Patroni for every member and waits until one leads and every other streams from it.</summary>
    public static async Task<PatroniCluster> StartAsync(IReadOnlyList<string> names, bool synchronous, TimeSpan timeout)
    {
        foreach (var tool in new[] { "patroni", "etcd" })
        {
            if (!File.Exists($"/usr/bin/{tool}"))
            {
                throw new InvalidOperationException($"{tool} is not installed; .ci/run installs it (apt-get install patroni etcd-server).");
            }
        }

        var bin = PostgresPrograms.Folder() ?? throw new InvalidOperationException("PostgreSQL is not installed; .ci/run installs it (apt-get install postgresql).");
        var folder = Directory.CreateTempSubdirectory("gi-patroni-").FullName;
        var ports = FreePorts.Take(names.Count * 4);
        var members = names.Select((name, i) => new Member(name, ports[i * 4], ports[(i * 4) + 1], ports[(i * 4) + 2], ports[(i * 4) + 3]))
            .ToDictionary(m => m.Name, StringComparer.Ordinal);
        var cluster = new PatroniCluster(folder, bin, members, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
        cluster.WatchOverTestProcess();
        foreach (var member in members.Values)
        {
            cluster.StartEtcd(member);
        }

        foreach (var member in members.Values)
        {
            File.WriteAllText(Path.Combine(folder, $"{member.Name}.yml"), cluster.PatroniConfig(member, synchronous));
        }

        if (Environment.UserName == "root")
        {
            Run("chown", ["-R", "postgres:postgres", folder]);
        }

        foreach (var member in members.Values)
        {
            cluster.StartPatroni(member.Name);
        }

        await cluster.WaitHealthyAsync(timeout);
        return cluster;
    }

    /// <summary>Patroni's view of the cluster (<c>GET /cluster</c>) from the first member that answers.</summary>
    public async Task<JsonNode?> ClusterAsync(string? except = null)
    {
        foreach (var name in _members.Keys.Where(n => n != except))
        {
            try
            {
                return JsonNode.Parse(await _http.GetStringAsync(new Uri(RestApi(name), "cluster")));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
            }
        }

        return null;
    }

    /// <summary>The member holding the leader key, and the timeline, as Patroni reports them (null while there is none).</summary>
    public async Task<(string? Leader, long Timeline)> LeaderAsync(string? except = null)
    {
        var members = (await ClusterAsync(except))?["members"]?.AsArray() ?? [];
        var leader = members.FirstOrDefault(m => (string?)m?["role"] == "leader" && (string?)m?["state"] == "running");
        return leader is null ? (null, 0) : ((string?)leader["name"], (long?)leader["timeline"] ?? 0);
    }

    /// <summary>Waits for a running leader other than <paramref name="except"/>.</summary>
    public async Task<string> WaitForLeaderAsync(TimeSpan timeout, string? except = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await LeaderAsync(except) is { Leader: { } leader } && leader != except)
            {
                return leader;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no Patroni leader besides {except ?? "none"} within {timeout.TotalSeconds} s; logs in {_folder}");
    }

    /// <summary>Waits until Patroni reports <paramref name="name"/> in <paramref name="role"/> (leader, replica, sync_standby; several with '|').</summary>
    public async Task WaitForRoleAsync(string name, string role, TimeSpan timeout)
    {
        var roles = role.Split('|');
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var members = (await ClusterAsync())?["members"]?.AsArray() ?? [];
            if (members.Any(m => (string?)m?["name"] == name && roles.Contains((string?)m?["role"]) && (string?)m?["state"] is "running" or "streaming"))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{name} was not {role} within {timeout.TotalSeconds} s");
    }

    /// <summary>SIGKILL of a member's Patroni and its PostgreSQL (postmaster): the machine lost, as far as the cluster can tell.</summary>
    public void Kill(string name)
    {
        var member = _members[name];
        if (member.Patroni is { HasExited: false } patroni)
        {
            patroni.Kill();
            patroni.WaitForExit();
        }

        if (PostmasterPid(name) is { } postmaster)
        {
            Run("kill", ["-KILL", postmaster.ToString(CultureInfo.InvariantCulture)], tolerateFailure: true);
        }
    }

    /// <summary>
    /// SIGSTOP of a member's whole PostgreSQL (the postmaster and every process it started): the database hangs, Patroni stays
    /// up. Returns the stopped processes, for <see cref="Thaw"/>.
    /// </summary>
    public IReadOnlyList<int> Freeze(string name) =>
        ProcessTree.Freeze(PostmasterPid(name) ?? throw new InvalidOperationException($"{name}'s PostgreSQL is not running"));

    /// <summary>SIGCONT of what <see cref="Freeze"/> stopped.</summary>
    public static void Thaw(IReadOnlyList<int> pids) => ProcessTree.Thaw(pids);

    /// <summary>Starts a member's Patroni again (it starts or rewinds its PostgreSQL and rejoins).</summary>
    public void StartPatroni(string name)
    {
        var member = _members[name];
        var config = Path.Combine(_folder, $"{name}.yml");
        var user = Environment.UserName == "root" ? "setpriv --reuid=postgres --regid=postgres --init-groups " : "";
        member.Patroni = Detached($"exec {user}patroni {Quote(config)} >> {Quote(Path.Combine(_folder, $"{name}.patroni.log"))} 2>&1 < /dev/null");
        File.AppendAllText(Path.Combine(_folder, "pids"), $"{member.Patroni.Id}\n");
    }

    /// <summary>Waits until one member leads and every other one replicates from it.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var members = (await ClusterAsync())?["members"]?.AsArray();
            if (members is { Count: var count } && count == _members.Count
                && members.Count(m => (string?)m?["role"] == "leader" && (string?)m?["state"] == "running") == 1
                && members.All(m => (string?)m?["state"] is "running" or "streaming"))
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the Patroni cluster was not healthy within {timeout.TotalSeconds} s; logs in {_folder}: "
            + string.Join(" | ", _members.Keys.Select(n => Tail(Path.Combine(_folder, $"{n}.patroni.log")))));
    }

    /// <summary>Runs SQL on one member's database as the superuser (<c>psql</c>); its output, unaligned.</summary>
    public string Psql(string name, string database, string sql) => GhidraInsight.Tests.Shared.Psql.Run(_bin, PostgresPort(name), Superuser, Password, database, sql);

    public void Dispose()
    {
        foreach (var name in _members.Keys)
        {
            Kill(name);
        }

        foreach (var etcd in _members.Values.Select(m => m.Etcd).OfType<Process>().Where(p => !p.HasExited))
        {
            etcd.Kill();
            etcd.WaitForExit();
        }

        _http.Dispose();
        // A SIGKILLed postmaster's children (and a pg_rewind Patroni started) may still write for a moment; what cannot be
        // deleted within a few seconds is left to the watchdog, which deletes the folder when the test process ends.
        for (var attempt = 0; attempt < 25; attempt++)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(200);
            }
        }
    }

    private void StartEtcd(Member member)
    {
        var cluster = string.Join(',', _members.Values.Select(m => $"{m.Name}=http://127.0.0.1:{m.EtcdPeerPort}"));
        var data = Path.Combine(_folder, $"{member.Name}.etcd");
        member.Etcd = Detached(string.Create(CultureInfo.InvariantCulture,
            $"exec etcd --name {member.Name} --data-dir {Quote(data)} --listen-client-urls http://127.0.0.1:{member.EtcdClientPort} "
            + $"--advertise-client-urls http://127.0.0.1:{member.EtcdClientPort} --listen-peer-urls http://127.0.0.1:{member.EtcdPeerPort} "
            + $"--initial-advertise-peer-urls http://127.0.0.1:{member.EtcdPeerPort} --initial-cluster {cluster} --initial-cluster-state new "
            + $"--initial-cluster-token gi-test --heartbeat-interval 100 --election-timeout 1000{(EtcdV2.Value ? " --enable-v2" : "")} "
            + $">> {Quote(Path.Combine(_folder, $"{member.Name}.etcd.log"))} 2>&1 < /dev/null"));
        File.AppendAllText(Path.Combine(_folder, "pids"), $"{member.Etcd.Id}\n");
    }

    private string PatroniConfig(Member member, bool synchronous) => string.Create(CultureInfo.InvariantCulture, $"""
        scope: ghidrainsight
        name: {member.Name}
        restapi:
          listen: 127.0.0.1:{member.RestPort}
          connect_address: 127.0.0.1:{member.RestPort}
        {(EtcdV2.Value ? "etcd" : "etcd3")}:
          hosts: {string.Join(',', _members.Values.Select(m => $"127.0.0.1:{m.EtcdClientPort}"))}
        bootstrap:
          dcs:
            ttl: {Ttl}
            loop_wait: {LoopWait}
            retry_timeout: 4
            maximum_lag_on_failover: 1048576
            synchronous_mode: {(synchronous ? "true" : "false")}
            postgresql:
              use_pg_rewind: true
              use_slots: true
              parameters:
                wal_log_hints: "on"
                max_connections: 200
          initdb:
            - encoding: UTF8
            - locale: C
          pg_hba:
            - host replication replicator 127.0.0.1/32 scram-sha-256
            - host all all 127.0.0.1/32 scram-sha-256
        postgresql:
          listen: 127.0.0.1:{member.PostgresPort}
          connect_address: 127.0.0.1:{member.PostgresPort}
          data_dir: {Path.Combine(_folder, $"{member.Name}.pg")}
          bin_dir: {_bin}
          pgpass: {Path.Combine(_folder, $"{member.Name}.pgpass")}
          authentication:
            superuser:
              username: {Superuser}
              password: {Password}
            replication:
              username: replicator
              password: {Password}
            rewind:
              username: rewinder
              password: {Password}
          parameters:
            unix_socket_directories: {_folder}
        tags:
          nofailover: false
          noloadbalance: false
          clonefrom: false
          nosync: false

        """);

    private int? PostmasterPid(string name)
    {
        var file = Path.Combine(_folder, $"{name}.pg", "postmaster.pid");
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadLines(file).First(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A detached shell (its own session) that waits for this process to end, then kills what the cluster started.</summary>
    private void WatchOverTestProcess()
    {
        var pids = Quote(Path.Combine(_folder, "pids"));
        var postmasters = string.Join(' ', _members.Keys.Select(n => Quote(Path.Combine(_folder, $"{n}.pg", "postmaster.pid"))));
        var watch = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; "
            + $"for p in $(cat {pids} 2>/dev/null); do kill -KILL $p 2>/dev/null; done; "
            + $"for f in {postmasters}; do [ -f \"$f\" ] && kill -KILL $(head -1 \"$f\") 2>/dev/null; done; sleep 1; rm -rf {Quote(_folder)}";
        Run("sh", ["-c", $"setsid sh -c {Quote(watch)} > /dev/null 2>&1 < /dev/null &"]);
    }

    /// <summary>In the cluster's folder, which the postgres user can reach (Patroni changes into its working directory).</summary>
    private Process Detached(string shell) =>
        Process.Start(new ProcessStartInfo("sh", ["-c", shell]) { UseShellExecute = false, WorkingDirectory = _folder })!;

    /// <summary>
    /// Etcd's v2 API for a Patroni older than 3.0.3, as <c>up</c> chooses (see PostgresEngines.UsesEtcdV2): over v3 such a Patroni
    /// may take the leader key back after its loop was held up past ttl.
    /// </summary>
    private static readonly Lazy<bool> EtcdV2 = new(() =>
    {
        using var patroni = Process.Start(new ProcessStartInfo("patroni", ["--version"]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var version = System.Text.RegularExpressions.Regex.Match(patroni.StandardOutput.ReadToEnd(), @"\d+\.\d+\.\d+").Value;
        patroni.WaitForExit();
        return Version.TryParse(version, out var parsed) && parsed < new Version(3, 0, 3);
    });

    private static void Run(string program, string[] arguments, bool tolerateFailure = false)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        if ((!process.WaitForExit(TimeSpan.FromMinutes(1)) || process.ExitCode != 0) && !tolerateFailure)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed");
        }
    }

    private static string Tail(string path) => File.Exists(path) ? string.Join(" / ", File.ReadLines(path).TakeLast(3)) : "(no log)";

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private sealed record Member(string Name, int EtcdClientPort, int EtcdPeerPort, int RestPort, int PostgresPort)
    {
        public Process? Etcd { get; set; }

        public Process? Patroni { get; set; }
    }
}
