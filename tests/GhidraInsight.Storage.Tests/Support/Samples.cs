using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GhidraInsight.Storage.Tests.Support;

/// <summary>Analyses with realistic ids (lowercase hex SHA-256 of their bytes).</summary>
internal static class Samples
{
    public static byte[] Bytes(int seed, int length = 64)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Id(byte[] binary) => Convert.ToHexStringLower(SHA256.HashData(binary));

    public static string Id(int seed) => Id(Encoding.UTF8.GetBytes(seed.ToString(CultureInfo.InvariantCulture)));

    public static NewAnalysis Analysis(int seed, bool withBinary = true)
    {
        var binary = Bytes(seed);
        return Analysis(binary, withBinary);
    }

    public static NewAnalysis Analysis(byte[] binary, bool withBinary = true) => new(
        Id(binary),
        "0.3.1",
        "elf",
        "x86_64",
        binary.Length,
        $$"""{"id":"{{Id(binary)}}","functions":[{"name":"main","address":"0x401000"}]}""",
        withBinary ? binary : (ReadOnlyMemory<byte>?)null);

    public static AnnotationInput Input(string name, params string[] tags) => new(name, $"comment for {name}", tags);
}
