using System.Globalization;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Maps the COFF Machine field to an architecture name, undoing the OS override that .NET ReadyToRun images
/// XOR into it (CoreCLR <c>IMAGE_FILE_MACHINE_NATIVE_OS_OVERRIDE</c>, <c>src/coreclr/inc/pedecoder.h</c>).
/// </summary>
internal static class PeMachineNames
{
    private static readonly Dictionary<ushort, string> Arches = new()
    {
        [0x014C] = "x86",
        [0x8664] = "x86_64",
        [0x01C0] = "arm",
        [0x01C2] = "arm",
        [0x01C4] = "arm",
        [0xAA64] = "arm64",
        [0xA641] = "arm64", // ARM64EC
        [0xA64E] = "arm64", // ARM64X
        [0x0200] = "ia64",
        [0x5032] = "riscv32",
        [0x5064] = "riscv64",
        [0x5128] = "riscv128",
        [0x6232] = "loongarch32",
        [0x6264] = "loongarch64",
        [0x0166] = "mips",
        [0x0169] = "mips",
        [0x0266] = "mips16",
        [0x01F0] = "ppc",
        [0x01F1] = "ppc",
        [0x01A2] = "sh3",
        [0x01A6] = "sh4",
        [0x0EBC] = "ebc",
    };

    // Values from CoreCLR pedecoder.h and crossgen2's MachineOSOverride; Windows images use 0.
    private static readonly (ushort Mask, string Os)[] OsOverrides =
    [
        (0x7B79, "linux"),
        (0x4644, "apple"),
        (0xADC4, "freebsd"),
        (0x1993, "netbsd"),
        (0x1992, "sunos"),
    ];

    /// <summary>
    /// Architecture of <paramref name="machine"/>; <paramref name="readyToRunOs"/> names the OS when the value
    /// only makes sense after removing a ReadyToRun OS override.
    /// </summary>
    public static string Arch(ushort machine, out string? readyToRunOs)
    {
        readyToRunOs = null;
        if (Arches.TryGetValue(machine, out var arch))
        {
            return arch;
        }
        foreach (var (mask, os) in OsOverrides)
        {
            if (Arches.TryGetValue((ushort)(machine ^ mask), out arch))
            {
                readyToRunOs = os;
                return arch;
            }
        }
        return "unknown (0x" + machine.ToString("X4", CultureInfo.InvariantCulture) + ")";
    }
}
