using System.Diagnostics;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Fuzz;

/// <summary>
/// Thousands of corrupted variants of a real file of each format: the engine must return (never throw), stay
/// within its time budget and allocate in proportion to the input, whatever the headers claim.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int Variants = 5000;
    private static readonly TimeSpan SlowestAllowed = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Seeds => ["elf64", "pe64", "pe32", "macho64", "macho-universal", "elf-aarch64", "macho-arm64"];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CorruptedVariants_NeverThrowHangOrBalloon(string seed)
    {
        var path = seed switch
        {
            "elf64" => CommonSamples.Elf64(),
            "pe64" => CommonSamples.Pe64(),
            "pe32" => CommonSamples.Pe32(),
            "macho64" => CommonSamples.MachO64(),
            "elf-aarch64" => CommonSamples.ElfAarch64(),
            "macho-arm64" => MachO.MachOSamples.Linked("arm64"),
            _ => CommonSamples.MachOUniversal(),
        };
        var original = File.ReadAllBytes(path);
        // The default time budget (60 s): no variant may come near it, let alone 2 s.
        var engine = new AnalysisEngine();
        // A fixed seed per format (string hashes change from run to run): a failure reproduces.
        var random = new Random(seed.Sum(c => c) * 7919);
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        var withErrors = 0;
        for (var i = 0; i < Variants; i++)
        {
            var variant = Mutator.Mutate(original, random);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            var result = engine.Analyze(variant);
            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (allocated > mostAllocated)
            {
                mostAllocated = allocated;
                File.WriteAllBytes(SampleBinaries.TempPath($"fuzz-{seed}-most-allocating.bin"), variant);
            }
            withErrors += result.Errors.Count > 0 ? 1 : 0;
            Assert.Equal(variant.Length, result.Binary.Size);
        }
        Assert.True(slowest < SlowestAllowed, $"slowest variant took {slowest}");
        // Bounded memory: allocation follows the input's size, never a header's claim (64 x input + 32 MiB).
        Assert.True(mostAllocated < 64L * original.Length + (32L << 20), $"a variant allocated {mostAllocated} bytes for a {original.Length}-byte input (kept as fuzz-{seed}-most-allocating.bin)");
        // The mutations really do break things: most variants carry parse errors.
        Assert.True(withErrors > Variants / 10, $"only {withErrors} of {Variants} variants reported errors");
    }
}
