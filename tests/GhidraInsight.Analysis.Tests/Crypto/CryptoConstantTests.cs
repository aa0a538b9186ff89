using System.Globalization;
using System.Text.RegularExpressions;
using GhidraInsight.Analysis.Crypto;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Crypto;

public sealed partial class CryptoConstantTests
{
    /// <summary>binwalk's description → our (algorithm, constant, endian).</summary>
    private static readonly Dictionary<string, (string Algorithm, string Constant, string? Endian)> BinwalkNames = new()
    {
        ["AES S-Box"] = ("AES", "S-box", null),
        ["AES Inverse S-Box"] = ("AES", "inverse S-box", null),
        ["CRC32 polynomial table, little endian"] = ("CRC32", "lookup table", "little"),
        ["CRC32 polynomial table, big endian"] = ("CRC32", "lookup table", "big"),
        ["SHA256 hash constants, little endian"] = ("SHA-256", "round constants K", "little"),
        ["SHA256 hash constants, big endian"] = ("SHA-256", "round constants K", "big"),
        ["DES SP1, little endian"] = ("DES", "SP1 table", "little"),
        ["DES SP1, big endian"] = ("DES", "SP1 table", "big"),
        ["DES SP2, little endian"] = ("DES", "SP2 table", "little"),
        ["DES SP2, big endian"] = ("DES", "SP2 table", "big"),
        ["DES PC1 table"] = ("DES", "PC1 table", null),
        ["DES PC2 table"] = ("DES", "PC2 table", null),
    };

    [Fact]
    public void CryptoHits_AreThoseBinwalkFinds_InABlobOfEveryTable()
    {
        // Every table we know, in both byte orders, at odd places between random filler.
        var blob = new MemoryStream();
        var random = new Random(42);
        foreach (var signature in CryptoSignatures.All)
        {
            var filler = new byte[random.Next(37, 301)];
            random.NextBytes(filler);
            blob.Write(filler);
            blob.Write(new byte[signature.LeadingZeros]);
            blob.Write(signature.Pattern);
        }
        blob.Write(new byte[64]);
        var path = SampleBinaries.TempPath("crypto-tables.bin");
        File.WriteAllBytes(path, blob.ToArray());

        var result = new AnalysisEngine().Analyze(blob.ToArray());
        var theirs = Binwalk(path);
        var ours = result.Crypto
            .Where(hit => BinwalkNames.ContainsValue((hit.Algorithm, hit.Constant, hit.Endian)))
            .Select(hit => (hit.Offset, hit.Algorithm, hit.Constant, hit.Endian))
            .ToHashSet();

        Assert.Equal(BinwalkNames.Count, theirs.Count);
        Assert.Equal(theirs, ours);
        // And every signature we have is found exactly once where it was written.
        Assert.Equal(CryptoSignatures.All.Count, result.Crypto.Count);
    }

    [Fact]
    public void CryptoHits_IncludeEveryAesTableBinwalkFinds_InLibcrypto()
    {
        var path = RealBinaries.LibCrypto;
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(path));
        var theirs = Binwalk(path);
        var ours = result.Crypto.Select(hit => (hit.Offset, hit.Algorithm, hit.Constant, hit.Endian)).ToHashSet();

        Assert.NotEmpty(theirs);
        Assert.Subset(ours, theirs);
        // libcrypto also holds tables binwalk has no signature for.
        Assert.Contains(result.Crypto, hit => hit.Algorithm == "SHA-512" && hit.Constant == "round constants K");
        Assert.Contains(result.Crypto, hit => hit.Algorithm == "Blowfish");
        Assert.All(result.Crypto.Where(h => h.Address is not null), h => Assert.NotNull(h.Section));
    }

    [Fact]
    public void DerivedConstants_MatchTheirStandardsFirstAndLastValues()
    {
        // Spot checks against FIPS 180-4 and FIPS 197; the tables themselves are computed from their definitions.
        Assert.Equal(0x428a2f98u, CryptoTables.Sha256K[0]);
        Assert.Equal(0xc67178f2u, CryptoTables.Sha256K[63]);
        Assert.Equal(0x6a09e667u, CryptoTables.Sha256Init[0]);
        Assert.Equal(0x5be0cd19u, CryptoTables.Sha256Init[7]);
        Assert.Equal(0x428a2f98d728ae22ul, CryptoTables.Sha512K[0]);
        Assert.Equal(0x6c44198c4a475817ul, CryptoTables.Sha512K[79]);
        Assert.Equal(0x63, CryptoTables.AesSbox[0]);
        Assert.Equal(0x16, CryptoTables.AesSbox[255]);
        Assert.Equal(0xc66363a5u, CryptoTables.AesTe0[0]);
        Assert.Equal(0x2d02ef8du, CryptoTables.Crc32Table[255]);
        Assert.Equal(0x77073096u, CryptoTables.Crc32Table[1]);
    }

    private static HashSet<(long Offset, string Algorithm, string Constant, string? Endian)> Binwalk(string path)
    {
        var output = ExternalTool.Run("binwalk", "--signature", path);
        var hits = new HashSet<(long, string, string, string?)>();
        foreach (Match m in BinwalkLine().Matches(output))
        {
            if (BinwalkNames.TryGetValue(m.Groups[2].Value.Trim(), out var name))
            {
                hits.Add((long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), name.Algorithm, name.Constant, name.Endian));
            }
        }
        return hits;
    }

    [GeneratedRegex(@"^(\d+)\s+0x[0-9A-F]+\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex BinwalkLine();
}
