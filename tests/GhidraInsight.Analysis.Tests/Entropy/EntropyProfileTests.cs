using System.Globalization;
using GhidraInsight.Analysis.Entropy;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Entropy;

public sealed class EntropyProfileTests
{
    [Theory]
    [InlineData("ls")]
    [InlineData("libcrypto")]
    [InlineData("random-odd-length")]
    [InlineData("zeros")]
    [InlineData("shorter-than-a-block")]
    public void Profile_AgreesWithEnt_ForEveryBlock(string input)
    {
        var bytes = Input(input);
        var entropy = new AnalysisEngine().Analyze(bytes).Entropy;
        var blockSize = entropy.BlockSize!.Value;
        var profile = entropy.Profile!;
        Assert.Equal((bytes.Length + blockSize - 1) / blockSize, profile.Count);

        // ent (Debian's, by John Walker) reads a file; each block gets its own, and -t prints a CSV line with its entropy.
        using var folder = new TempFolder("ghidrainsight-entropy-profile-");
        var disagreeing = new List<string>();
        for (var i = 0; i < profile.Count; i++)
        {
            var block = bytes.AsSpan(i * blockSize, Math.Min(blockSize, bytes.Length - (i * blockSize)));
            var path = Path.Combine(folder.Path, $"block{i}");
            File.WriteAllBytes(path, block);
            var (length, ent) = Ent(path);
            Assert.Equal(block.Length, length);
            if (Math.Abs(profile[i] - ent) > 0.001)
            {
                disagreeing.Add($"block {i} at {i * blockSize}: ours {profile[i]}, ent {ent}");
            }
        }
        Assert.Empty(disagreeing);
    }

    [Fact]
    public void Profile_OverALargeFile_HasAtMost512BlocksOfTheSmallestPowerOfTwoThatAllows()
    {
        var bytes = new byte[(10 * 1024 * 1024) + 1];
        new Random(3).NextBytes(bytes.AsSpan(0, bytes.Length / 2));
        var entropy = new AnalysisEngine().Analyze(bytes).Entropy;

        var blockSize = entropy.BlockSize!.Value;
        Assert.Equal(32768, blockSize);
        Assert.True(blockSize >= 256 && (blockSize & (blockSize - 1)) == 0, $"{blockSize} is not a power of two of at least 256");
        Assert.True(entropy.Profile!.Count <= 512);
        Assert.True((bytes.Length + (blockSize / 2) - 1) / (blockSize / 2) > 512, "half the block size would do");
        Assert.Equal((bytes.Length + blockSize - 1) / blockSize, entropy.Profile.Count);
        // Random first half, zeros after, a last block of one zero byte.
        Assert.All(entropy.Profile.Take(160), e => Assert.InRange(e, 7.99, 8.0));
        Assert.All(entropy.Profile.Skip(160), e => Assert.Equal(0, e));
    }

    [Theory]
    [InlineData(0, 256)]
    [InlineData(1, 256)]
    [InlineData(256 * 512, 256)]
    [InlineData((256 * 512) + 1, 512)]
    [InlineData(512 * 512, 512)]
    [InlineData((512 * 512) + 1, 1024)]
    [InlineData(256L * 1024 * 1024, 512 * 1024)]
    public void BlockSize_IsTheSmallestPowerOfTwoOfAtLeast256_ThatMakesAtMost512Blocks(long length, int expected) =>
        Assert.Equal(expected, EntropyProfile.BlockSize(length));

    [Fact]
    public void Profile_OfAnEmptyFile_IsEmptyWithBlocksOf256()
    {
        var result = new AnalysisEngine().Analyze(Array.Empty<byte>());
        Assert.Equal(256, result.Entropy.BlockSize);
        Assert.Empty(result.Entropy.Profile!);
        Assert.Contains("\"block_size\":256,\"profile\":[]", AnalysisJson.Serialize(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Overall_FromTheProfilesPass_IsExactlyTheWholeFilesEntropy()
    {
        var bytes = File.ReadAllBytes(RealBinaries.Ls);
        Assert.Equal(ShannonEntropy.Compute(bytes), new AnalysisEngine().Analyze(bytes).Entropy.Overall);
    }

    [Fact]
    public void Json_HoldsBlockSizeAndProfileInSnakeCase_RoundedTo3Decimals_AndRoundTrips()
    {
        var bytes = new byte[5000];
        new Random(5).NextBytes(bytes.AsSpan(0, 1000));
        var result = new AnalysisEngine().Analyze(bytes);
        var json = AnalysisJson.Serialize(result);
        Assert.Matches("\"entropy\":\\{\"overall\":[0-9.E-]+,\"packed\":false,\"reason\":\"[^\"]*\",\"block_size\":256,\"profile\":\\[[0-9.,]+\\]\\}", json);
        var profile = AnalysisJson.Deserialize(json)!.Entropy.Profile!;
        Assert.Equal(result.Entropy.Profile, profile);
        Assert.Equal(20, profile.Count);
        Assert.All(profile, e => Assert.Equal(Math.Round(e, 3), e));
        Assert.Contains(profile, e => e != Math.Round(e, 1));
    }

    [Fact]
    public void UniversalFile_ProfilesTheWholeFileAtTheTopLevel_AndNotEachSlice()
    {
        var bytes = File.ReadAllBytes(CommonSamples.MachOUniversal());
        var result = new AnalysisEngine().Analyze(bytes);
        Assert.Equal(EntropyProfile.Compute(bytes).Profile, result.Entropy.Profile);
        Assert.Equal(2, result.Slices.Count);
        Assert.All(result.Slices, s => Assert.Null(s.Analysis.Entropy.Profile));
        Assert.All(result.Slices, s => Assert.Null(s.Analysis.Entropy.BlockSize));
    }

    /// <summary>The bytes of one named input: real binaries, and made ones whose profile is known or awkward.</summary>
    private static byte[] Input(string name) => name switch
    {
        "ls" => File.ReadAllBytes(RealBinaries.Ls),
        "libcrypto" => File.ReadAllBytes(RealBinaries.LibCrypto),
        // 300,001 bytes: blocks of 1024, the last one 993 bytes long.
        "random-odd-length" => RandomBytes(300_001, seed: 11),
        "zeros" => new byte[64 * 1024],
        "shorter-than-a-block" => "a file shorter than one block of 256 bytes, of text: ent and we agree on it"u8.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such input"),
    };

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>File-bytes and Entropy of <c>ent -t</c>'s CSV line for <paramref name="path"/>.</summary>
    private static (long Length, double Entropy) Ent(string path)
    {
        var line = ExternalTool.Run("ent", "-t", path).Split('\n').Single(l => l.StartsWith("1,", StringComparison.Ordinal));
        var columns = line.Split(',');
        return (long.Parse(columns[1], CultureInfo.InvariantCulture), double.Parse(columns[2], CultureInfo.InvariantCulture));
    }
}
