using GhidraInsight.Cli.Doctor;
using GhidraInsight.Tests.Shared;

namespace GhidraInsight.Cli.Tests;

/// <summary>The file a drill writes its canaries on is a real executable, as readelf and the kernel see it.</summary>
public sealed class CanaryBinaryTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheCanaryFile_IsAnX8664ElfExecutable_ThatRunsAndExitsZero_AndCarriesTheDrillsId()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ghidrainsight-canary-{Guid.NewGuid():n}");
        try
        {
            var bytes = CanaryBinary.For("0123456789ab");
            File.WriteAllBytes(path, bytes);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var header = ExternalTool.Run("readelf", "-h", "-l", "-W", path);
            Assert.Contains("EXEC (Executable file)", header, StringComparison.Ordinal);
            Assert.Contains("Advanced Micro Devices X86-64", header, StringComparison.Ordinal);
            Assert.Contains("Entry point address:               0x400078", header, StringComparison.Ordinal);
            Assert.Matches(@"LOAD\s+0x000000 0x0000000000400000 0x0000000000400000 0x0000[0-9a-f]{2} 0x0000[0-9a-f]{2} R E 0x1000", header);

            ExternalTool.RunWithExit(path, [], out var exit);
            Assert.Equal(0, exit);
            Assert.Contains("ghidrainsight drill canary 0123456789ab", ExternalTool.Run("strings", path), StringComparison.Ordinal);
            Assert.NotEqual(bytes, CanaryBinary.For("ba9876543210"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
