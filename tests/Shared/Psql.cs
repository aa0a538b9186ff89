using System.Diagnostics;
using System.Globalization;

namespace GhidraInsight.Tests.Shared;

/// <summary>Runs one SQL statement with PostgreSQL's own <c>psql</c> on loopback; its unaligned output, or what psql said on failure.</summary>
internal static class Psql
{
    public static string Run(string bin, int port, string user, string password, string database, string sql)
    {
        var psi = new ProcessStartInfo(Path.Combine(bin, "psql"),
            ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atqc", sql])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"psql on port {port}: {error.Result}");
    }
}
