using System.Diagnostics;
using System.Globalization;

namespace GhidraInsight.Tests.Shared;

/// <summary>Signals to a process and everything it started (a PostgreSQL postmaster and its backends).</summary>
internal static class ProcessTree
{
    /// <summary>
    /// SIGSTOP of <paramref name="root"/> and every process below it: it hangs without closing anything (a stalled machine).
    /// Returns the stopped processes, for <see cref="Thaw"/>.
    /// </summary>
    public static IReadOnlyList<int> Freeze(int root)
    {
        var pids = new List<int> { root };
        for (var i = 0; i < pids.Count; i++)
        {
            foreach (var task in Directory.Exists($"/proc/{pids[i]}/task") ? Directory.GetDirectories($"/proc/{pids[i]}/task") : [])
            {
                var children = File.Exists(Path.Combine(task, "children")) ? File.ReadAllText(Path.Combine(task, "children")) : "";
                pids.AddRange(children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
            }
        }

        Signal("-STOP", pids);
        return pids;
    }

    /// <summary>SIGCONT of what <see cref="Freeze"/> stopped.</summary>
    public static void Thaw(IReadOnlyList<int> pids) => Signal("-CONT", pids);

    /// <summary>Sends <paramref name="signal"/>; a process that is already gone is no error.</summary>
    private static void Signal(string signal, IEnumerable<int> pids)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
    }
}
