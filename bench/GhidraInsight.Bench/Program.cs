using GhidraInsight.Bench;

// dotnet run -c Release --project bench/GhidraInsight.Bench -- analyze|cold|functions|stages|http|gateway|postgres|dashboard [FILE] [--runs N] | lag | postgres-lag | failover | postgres-failover [--runs N] (BENCH_TRACE=1: every write of a round)
var runs = 5;
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--runs" && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0)
    {
        runs = n;
        i++;
    }
    else
    {
        rest.Add(args[i]);
    }
}
var which = rest.FirstOrDefault() ?? "analyze";
return which switch
{
    "analyze" => AnalyzeVersusObjdump.Run(rest.Skip(1).FirstOrDefault(), runs),
    "functions" => FunctionRecall.Run(),
    "cold" => ColdAnalyze.Run(rest.Skip(1).FirstOrDefault(), runs),
    "stages" => StageTimes.Run(rest.Skip(1).FirstOrDefault(), runs),
    "http" => await StoredReadVersusLive.RunAsync(rest.Skip(1).FirstOrDefault(), seconds: 10),
    "lag" => await ReplicationLag.RunAsync(writesPerSecond: 200, seconds: 15),
    "failover" => await FailoverTime.RunAsync(rounds: Math.Max(10, runs)),
    "gateway" => await GatewayVersusNginx.RunAsync(rest.Skip(1).FirstOrDefault(), seconds: 10),
    "postgres" => await PostgresVersusSqlite.RunAsync(rest.Skip(1).FirstOrDefault(), seconds: 10),
    "postgres-lag" => await ReplicationLag.RunAsync(writesPerSecond: 200, seconds: 15, postgres: true),
    "dashboard" => await DashboardLoad.RunAsync(rest.Skip(1).FirstOrDefault(), runs),
    "postgres-failover" => await PostgresFailoverTime.RunAsync(rounds: Math.Max(10, runs), switchovers: 5),
    // The gateway benchmark's reference proxy, started by it as its own process.
    "yarp-reference" when rest.Count == 3 => await YarpReference.RunAsync(int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture), new Uri(rest[2])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: GhidraInsight.Bench analyze|cold|functions|stages|http|gateway|postgres|dashboard [FILE] [--runs N] | lag | postgres-lag | failover | postgres-failover [--runs N]");
    return 2;
}
