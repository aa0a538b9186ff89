using System.Globalization;

namespace GhidraInsight.Bench;

/// <summary>CPU time (user and system) that processes have used, from <c>/proc/PID/stat</c>.</summary>
internal static class ProcessCpu
{
    /// <summary>USER_HZ, which /proc's times count in: 100 on Linux.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The CPU seconds the processes used so far; a process that is gone counts nothing.</summary>
    public static double Seconds(IEnumerable<int> pids) => pids.Sum(pid => Stat(pid) is { } fields
        ? (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond
        : 0);

    /// <summary>A process and its children (nginx's master and its workers).</summary>
    public static IEnumerable<int> WithChildren(int parent)
    {
        yield return parent;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Stat(pid) is { } fields
                && int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }

    /// <summary>The fields after the command name (which may hold spaces): state is [0], ppid [1], utime [11], stime [12].</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
