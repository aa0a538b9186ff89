using System.Runtime.InteropServices;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// Tells regular files from FIFOs, sockets and devices, which .NET reports as files too: reading a FIFO
/// blocks forever, so <c>analyze /tmp</c> would hang. Linux only (statx); elsewhere every file counts as regular.
/// </summary>
internal static partial class RegularFile
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // stx_mode in struct statx, the same on every Linux architecture
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;

    public static bool Is(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }
        var buffer = new byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
            {
                return true; // let the read report the real error
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
        return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) == RegularType;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
