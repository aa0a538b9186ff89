using System.Runtime.InteropServices;

namespace GhidraInsight.Cli.Up;

/// <summary>Sends POSIX signals to child processes (.NET can only SIGKILL).</summary>
internal static partial class Signals
{
    private const int Sigterm = 15;

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
