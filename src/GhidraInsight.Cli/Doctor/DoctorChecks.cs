using System.Globalization;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Regions.Authentication;

namespace GhidraInsight.Cli.Doctor;

/// <summary>
/// The operator guide's troubleshooting, as checks over every region's own report (<c>GET /api/diagnostics</c>): each says what
/// holds for the whole deployment, and when something does not, which region it is and what to do.
/// </summary>
internal static class DoctorChecks
{
    /// <summary>Every check, in the order an operator would look: configuration, links, secret, clocks, replication, primary, disk.</summary>
    /// <param name="deployment">The regions' reports.</param>
    /// <param name="localConfiguration">The problems of the config file doctor was given (empty: valid); null when it was given none.</param>
    /// <param name="configPath">That file.</param>
    /// <param name="limits">The limits for lag, pending entries and free space.</param>
    public static IReadOnlyList<DoctorCheck> Run(DeploymentDiagnostics deployment, IReadOnlyList<string>? localConfiguration, string? configPath, DoctorLimits limits)
    {
        var reports = deployment.Regions.Where(r => r.Value.Report is not null).ToDictionary(r => r.Key, r => r.Value.Report!, StringComparer.Ordinal);
        var checks = new List<DoctorCheck>
        {
            Configuration(reports, localConfiguration, configPath),
            Reachability(deployment, reports),
            Secret(reports),
            Clocks(reports),
            Replication(reports, limits),
            OutboxRetention(reports),
            Primary(reports),
            Leader(reports),
            DiskSpace(reports, limits),
        };
        if (reports.Values.Any(r => r.Consensus == "patroni"))
        {
            checks.Add(DatabaseRoles(reports));
        }

        return checks;
    }

    private static DoctorCheck Configuration(Dictionary<string, RegionDiagnostics> reports, IReadOnlyList<string>? local, string? path)
    {
        const string Name = "configuration";
        if (local is { Count: > 0 })
        {
            return new(Name, false, $"{path}: {string.Join("; ", local)}", $"correct {path} (each problem above names its key); nothing reloads a file that is not valid");
        }

        if (reports.Values.FirstOrDefault(r => r.ConfigurationError is not null) is { } refused)
        {
            return new(Name, false, $"{refused.Region} refused its last reload: {refused.ConfigurationError}",
                $"correct {refused.Region}'s config file (it runs on the previous one until then, and would not start with this one), then send it SIGHUP");
        }

        var lists = reports.Values.GroupBy(r => string.Join(",", r.Regions)).ToList();
        if (lists.Count > 1)
        {
            return new(Name, false, "the regions list different regions: " + string.Join("; ", lists.Select(g => $"{Names(g.Select(r => r.Region))} list [{g.Key}]")),
                "give every region the same region.regions (and an endpoint for each), then restart the ones that changed");
        }

        var primaries = reports.Values.GroupBy(r => r.ConfiguredPrimary ?? r.Regions.FirstOrDefault() ?? "").ToList();
        if (primaries.Count > 1)
        {
            return new(Name, false, "the regions name different primary_region: " + string.Join("; ", primaries.Select(g => $"{Names(g.Select(r => r.Region))} name {g.Key}")),
                "set the same primary_region (GHIDRA_REGION_PRIMARY) in every region's configuration; a manual failover changes it everywhere");
        }

        var regions = reports.Values.FirstOrDefault()?.Regions ?? [];
        return new(Name, true, $"{(path is null ? "" : $"{path} is valid; ")}every region lists the same {regions.Count} regions, primary_region {primaries.FirstOrDefault()?.Key ?? "-"}");
    }

    private static DoctorCheck Reachability(DeploymentDiagnostics deployment, Dictionary<string, RegionDiagnostics> reports)
    {
        const string Name = "reachability";
        // A region that answers but refuses the answering region's signature is reachable: the secret and clock lines say why.
        var answering = reports.GetValueOrDefault(deployment.AnsweredBy);
        var problems = deployment.Regions
            .Where(r => r.Value.Report is null && !(answering?.Peers.TryGetValue(r.Key, out var link) == true && link is { Reachable: true, Authenticated: false }))
            .Select(r => $"{deployment.AnsweredBy} got no report from {r.Key}: {r.Value.Error}")
            .ToList();
        foreach (var report in reports.Values)
        {
            problems.AddRange(report.Peers.Where(p => !p.Value.Reachable).Select(p => $"{report.Region} cannot reach {p.Key}: {p.Value.Error}"));
        }

        if (problems.Count > 0)
        {
            return new(Name, false, string.Join("; ", problems),
                "check that each region named runs (`ghidrainsight regions`), that region.endpoints in the region that cannot reach it gives its right address, and that the network (firewall, NetworkPolicy) lets the regions' port through");
        }

        var links = reports.Values.SelectMany(r => r.Peers.Values).ToList();
        var slowest = links.Select(l => l.RoundTripMs ?? 0).DefaultIfEmpty(0).Max();
        return new(Name, true, $"every region reaches every other ({links.Count} links checked from both ends, slowest {Ms(slowest)})");
    }

    private static DoctorCheck Secret(Dictionary<string, RegionDiagnostics> reports)
    {
        const string Name = "region secret";
        var refused = RefusedLinks(reports).Where(l => !l.Link.Error!.Contains("stale", StringComparison.Ordinal)).ToList();
        if (refused.Count > 0)
        {
            return new(Name, false, string.Join("; ", refused.Select(l => $"{l.To} refuses {l.From}'s signed requests ({l.Link.Error})")),
                "give every region the same region secret (region.secret_file or GHIDRA_REGION__SECRET); while rotating, set the old one as region.previous_secret everywhere first");
        }

        return new(Name, true, "every region accepts every other's signed requests");
    }

    private static DoctorCheck Clocks(Dictionary<string, RegionDiagnostics> reports)
    {
        const string Name = "clocks";
        var window = RegionRequestVerifier.Window;
        var skews = reports.Values.SelectMany(r => r.Peers.Where(p => p.Value.ClockSkewMs is not null).Select(p => (From: r.Region, To: p.Key, Skew: p.Value.ClockSkewMs!.Value))).ToList();
        var off = skews.Where(s => Math.Abs(s.Skew) > window.TotalMilliseconds)
            .Select(s => $"{s.To}'s clock is {Ms(Math.Abs(s.Skew))} {(s.Skew > 0 ? "ahead of" : "behind")} {s.From}'s")
            .Concat(RefusedLinks(reports).Where(l => l.Link.Error!.Contains("stale", StringComparison.Ordinal))
                .Select(l => $"{l.To} refuses {l.From}'s requests as outside the {window.TotalSeconds:0} s signing window"))
            .Distinct()
            .ToList();
        if (off.Count > 0)
        {
            return new(Name, false, string.Join("; ", off),
                $"synchronise the clocks of every region's machine (NTP: chrony or systemd-timesyncd); signed requests are accepted only within {window.TotalSeconds:0} s");
        }

        var largest = skews.Select(s => Math.Abs(s.Skew)).DefaultIfEmpty(0).Max();
        return new(Name, true, $"largest difference {Ms(largest)}, within the {window.TotalSeconds:0} s signing window");
    }

    private static DoctorCheck Replication(Dictionary<string, RegionDiagnostics> reports, DoctorLimits limits)
    {
        const string Name = "replication";
        var targets = reports.Values.SelectMany(r => r.Replication.Select(t => (From: r.Region, To: t.Key, t.Value))).ToList();
        var behind = targets.Where(t => t.Value.LagMs > limits.MaxLagMs || t.Value.Pending > limits.MaxPending || t.Value.Error is not null)
            .Select(t => $"{t.From} → {t.To}: lag {Ms(t.Value.LagMs)}, {t.Value.Pending.ToString("N0", CultureInfo.InvariantCulture)} pending{(t.Value.Error is null ? "" : $", {t.Value.Error}")}")
            .ToList();
        if (behind.Count > 0)
        {
            return new(Name, false, $"{string.Join("; ", behind)} (limits {Ms(limits.MaxLagMs)}, {limits.MaxPending.ToString("N0", CultureInfo.InvariantCulture)} pending)",
                "check that the target runs and that the region replicating to it can reach it (see reachability); it catches up by itself once it can");
        }

        if (targets.Count == 0)
        {
            return new(Name, true, reports.Values.Any(r => r.Consensus == "patroni")
                ? "PostgreSQL replicates (no outbox targets); its lag is in `ghidrainsight regions`"
                : "no replication targets (replication is off)");
        }

        var worst = targets.MaxBy(t => t.Value.LagMs);
        return new(Name, true, $"{targets.Count} targets, largest lag {Ms(worst.Value.LagMs)} ({worst.From} → {worst.To}), {targets.Sum(t => t.Value.Pending).ToString(CultureInfo.InvariantCulture)} pending in all");
    }

    private static DoctorCheck OutboxRetention(Dictionary<string, RegionDiagnostics> reports)
    {
        const string Name = "outbox retention";
        var past = reports.Values.SelectMany(r => r.Replication.Where(t => t.Value.PastRetention).Select(t => $"{r.Region} no longer keeps what {t.Key} has not received")).ToList();
        if (past.Count > 0)
        {
            return new(Name, false, string.Join("; ", past) + " (behind longer than region.outbox_retention, or by more than outbox_max_entries)",
                "bring the region back: it is resynced from a snapshot when it returns; if outages this long are expected, raise region.outbox_retention / region.outbox_max_entries");
        }

        return new(Name, true, "every target is within the outbox's retention");
    }

    private static DoctorCheck Primary(Dictionary<string, RegionDiagnostics> reports)
    {
        const string Name = "primary";
        var accepting = reports.Values.Where(r => r.AcceptingStrongWrites).Select(r => r.Region).ToList();
        var views = reports.Values.GroupBy(r => (r.Primary, r.Epoch)).ToList();
        if (accepting.Count == 0)
        {
            return new(Name, false, "no region accepts strong writes; " + string.Join("; ", views.Select(v => $"{Names(v.Select(r => r.Region))} know {v.Key.Primary ?? "no primary"} (epoch {v.Key.Epoch})")),
                "a primary needs a majority of regions to run and reach each other (Raft) or Patroni to have a leader; with failover off, bring the primary back or run `ghidrainsight failover --to REGION`");
        }

        if (accepting.Count > 1)
        {
            return new(Name, false, $"{Names(accepting)} all accept strong writes",
                "this must not happen: stop all but the one with the highest epoch and report it");
        }

        if (views.Count > 1)
        {
            return new(Name, false, "the regions disagree on the primary: " + string.Join("; ", views.Select(v => $"{Names(v.Select(r => r.Region))} know {v.Key.Primary ?? "none"} (epoch {v.Key.Epoch})")),
                "wait a few seconds (a change of primary is spreading); if it stays, check reachability and the consensus leader");
        }

        return new(Name, true, $"{accepting[0]} accepts strong writes (epoch {views[0].Key.Epoch.ToString(CultureInfo.InvariantCulture)}), and every region knows it");
    }

    private static DoctorCheck Leader(Dictionary<string, RegionDiagnostics> reports)
    {
        const string Name = "consensus leader";
        var kind = reports.Values.Select(r => r.Consensus).FirstOrDefault() ?? "none";
        if (kind == "none")
        {
            return new(Name, true, "none needed: failover is off, so the configured primary_region is the primary");
        }

        var engine = kind == "raft" ? "Raft" : "Patroni";
        var unknown = reports.Values.Where(r => r.Leader is null).Select(r => r.Region).ToList();
        if (unknown.Count > 0)
        {
            return new(Name, false, $"no {engine} leader known to {Names(unknown)}",
                kind == "raft"
                    ? "Raft needs a majority of the regions (2 of 3) running and reaching each other: bring the others back (see reachability)"
                    : "Patroni needs etcd's majority and a healthy member: check `patronictl list` and etcd's health");
        }

        var leaders = reports.Values.GroupBy(r => r.Leader).ToList();
        if (leaders.Count > 1)
        {
            return new(Name, false, $"the regions know different {engine} leaders: " + string.Join("; ", leaders.Select(g => $"{Names(g.Select(r => r.Region))} know {g.Key}")),
                "wait a few seconds (an election is settling); if it stays, check reachability between the regions");
        }

        return new(Name, true, $"{engine} leader {leaders[0].Key}, known to every region");
    }

    private static DoctorCheck DiskSpace(Dictionary<string, RegionDiagnostics> reports, DoctorLimits limits)
    {
        const string Name = "disk space";
        var low = new List<string>();
        foreach (var report in reports.Values.Where(r => r.Storage is not null))
        {
            var storage = report.Storage!;
            if (storage.FreeBytes is not { } free)
            {
                low.Add($"{report.Region} cannot read the free space of {storage.Folder}");
            }
            else if (free < storage.ReserveBytes * limits.FreeOverReserve)
            {
                low.Add($"{report.Region} has {Mib(free)} free in {storage.Folder}, {(free < storage.ReserveBytes ? "below" : "close to")} its {Mib(storage.ReserveBytes)} reserve"
                    + (free < storage.ReserveBytes ? " (uploads are refused)" : ""));
            }
        }

        if (low.Count > 0)
        {
            return new(Name, false, string.Join("; ", low), "free space on that volume (or grow it); storage.reserve_bytes is what a region keeps free before it refuses uploads");
        }

        var least = reports.Values.Where(r => r.Storage?.FreeBytes is not null).MinBy(r => r.Storage!.FreeBytes);
        return new(Name, true, least is null ? "no data folders" : $"every data folder has room; least is {least.Region} with {Mib(least.Storage!.FreeBytes!.Value)} free");
    }

    private static DoctorCheck DatabaseRoles(Dictionary<string, RegionDiagnostics> reports)
    {
        const string Name = "database roles";
        var wrong = new List<string>();
        foreach (var report in reports.Values.Where(r => r.Database is not null))
        {
            var roles = report.Database!;
            if (roles.Error is not null || roles.Database is null || roles.Patroni is null)
            {
                wrong.Add($"{report.Region}: {roles.Error ?? "a role could not be read"}");
            }
            else if ((roles.Database == "primary") != (roles.Patroni == "primary"))
            {
                wrong.Add($"{report.Region}'s database runs as {roles.Database} but Patroni has it as {roles.Patroni}");
            }
        }

        var primaries = reports.Values.Where(r => r.Database?.Database == "primary").Select(r => r.Region).ToList();
        if (primaries.Count > 1)
        {
            wrong.Add($"{Names(primaries)} {(primaries.Count == 2 ? "both" : "all")} run as primary databases");
        }

        if (reports.Values.Any(r => r.Database?.Paused == true))
        {
            wrong.Add("Patroni is paused (maintenance mode): it fails nothing over until `patronictl resume`");
        }

        if (wrong.Count > 0)
        {
            return new(Name, false, string.Join("; ", wrong),
                "let Patroni manage every database (never pg_ctl promote by hand): `patronictl list`, resume it if paused, and reinitialise a member that diverged (`patronictl reinit`)");
        }

        return new(Name, true, "every database's role is the one Patroni gives it");
    }

    private static IEnumerable<(string From, string To, PeerLink Link)> RefusedLinks(Dictionary<string, RegionDiagnostics> reports) =>
        reports.Values.SelectMany(r => r.Peers.Where(p => p.Value is { Reachable: true, Authenticated: false, Error: not null }).Select(p => (r.Region, p.Key, p.Value)));

    private static string Names(IEnumerable<string> regions) => string.Join(", ", regions.Order(StringComparer.Ordinal));

    private static string Ms(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}
