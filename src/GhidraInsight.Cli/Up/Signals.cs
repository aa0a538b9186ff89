using System.Runtime.InteropServices;

namespace GhidraInsight.Cli.Up;

/// <summary>Sends POSIX signals to child processes (.NET can only SIGKILL).</summary>
internal static partial class Signals
{
    private const int Sigterm = 15;
    private const int Sighup = 1;

    /// <summary>SIGHUP: a region reloads its configuration.</summary>
    public static void Hangup(int pid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Kill(pid, Sighup);
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
