using System.Runtime.InteropServices;

namespace GhidraInsight.Cli.Up;

/// <summary>Sends POSIX signals to child processes (.NET can only SIGKILL).</summary>
internal static partial class Signals
{
    private const int Sigterm = 15;
    private const int Sighup = 1;

    /// <summary>SIGUSR1 (10 on Linux): asks <c>up</c> to restart the processes of its that exited.</summary>
    public const int Sigusr1 = 10;

    /// <summary>SIGHUP: a region reloads its configuration.</summary>
    public static void Hangup(int pid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Kill(pid, Sighup);
        }
    }

    /// <summary>SIGUSR1 to <c>up</c>: restart every region (and the gateway) of its that exited.</summary>
    public static void RestartExited(int upPid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Kill(upPid, Sigusr1);
        }
    }

    public static void Terminate(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
            return;
        }
        _ = Kill(pid, Sigterm);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
