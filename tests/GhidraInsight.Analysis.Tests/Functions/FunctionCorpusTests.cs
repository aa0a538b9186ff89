namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>
/// Function discovery against ground truth: real code built here with symbols (C, C++ and Rust with their standard libraries,
/// ELF and PE) and Debian libraries that ship with symbols, stripped, with and without unwind information; the truth is their
/// symbol tables as readelf and nm read them. The floors are what the engine reaches (bench: <c>-- functions</c>), less a
/// small margin for compilers that differ between machines: the test fails when discovery gets worse.
/// </summary>
public sealed class FunctionCorpusTests : IClassFixture<FunctionCorpusTests.BuiltCorpus>
{
    private readonly BuiltCorpus _corpus;

    public FunctionCorpusTests(BuiltCorpus corpus) => _corpus = corpus;

    [Fact]
    public void WithUnwindInformation_NearlyEveryStartIsFound_AndNearlyNothingElse()
    {
        var (recall, precision) = _corpus.Score(withUnwind: true);
        Assert.True(recall >= 0.99, $"recall {recall:F3} over {_corpus}");
        Assert.True(precision >= 0.99, $"precision {precision:F3} over {_corpus}");
    }

    [Fact]
    public void WithoutUnwindInformation_MostStartsAreFound_FromPointersAndGaps()
    {
        var (recall, precision) = _corpus.Score(withUnwind: false);
        // Measured: recall 0.910, precision 0.986 over the full corpus; the floors are the issue's target (0.90 at 0.97).
        Assert.True(recall >= 0.90, $"recall {recall:F3} over {_corpus}");
        Assert.True(precision >= 0.97, $"precision {precision:F3} over {_corpus}");
    }

    [Fact]
    public void EachConfidence_IsAboutTheShareOfTrueStartsItIsGivenTo()
    {
        // Every source and confidence given to at least 100 starts over the corpus (both variants): no more than 0.05 too hopeful.
        var groups = _corpus.BySource.Where(g => g.Value.Found >= 100).ToList();
        Assert.Contains(groups, g => g.Key.StartsWith("gap ", StringComparison.Ordinal));
        foreach (var (key, (found, hits)) in groups)
        {
            var confidence = double.Parse(key[(key.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True((double)hits / found >= confidence - 0.05, $"{key}: {hits} of {found} true");
        }
    }

    [Fact]
    public void TheCorpus_HasCAndCppAndPe_AtLeast()
    {
        Assert.Contains(_corpus.Binaries, b => b.Name.StartsWith("C, gcc", StringComparison.Ordinal));
        Assert.Contains(_corpus.Binaries, b => b.Name.StartsWith("C++", StringComparison.Ordinal));
        Assert.Contains(_corpus.Binaries, b => b.Name.Contains("PE", StringComparison.Ordinal));
    }

    /// <summary>The corpus, built once for the class, with each binary analysed with and without unwind information.</summary>
    public sealed class BuiltCorpus : IDisposable
    {
        private readonly TempFolder _folder = new("ghidrainsight-corpus-");
        private readonly List<string> _skipped = [];
        private readonly Dictionary<(string, bool), (int Hits, int Truth, int Found)> _scores = [];

        public BuiltCorpus()
        {
            Binaries = FunctionCorpus.Build(_folder.Path, _skipped.Add);
            var engine = new AnalysisEngine();
            foreach (var binary in Binaries)
            {
                foreach (var withUnwind in new[] { true, false })
                {
                    var analysis = engine.Analyze(File.ReadAllBytes(withUnwind ? binary.WithUnwind : binary.WithoutUnwind));
                    var score = FunctionCorpus.Score(analysis, binary.Truth);
                    _scores[(binary.Name, withUnwind)] = ((int)Math.Round(score.Recall * score.Truth), score.Truth, score.Found);
                    foreach (var (source, found, hits) in FunctionCorpus.BySource(analysis, binary.Truth))
                    {
                        var (f, t) = BySource.GetValueOrDefault(source);
                        BySource[source] = (f + found, t + hits);
                    }
                }
            }
        }

        internal List<CorpusBinary> Binaries { get; }

        /// <summary>Per source and confidence (<c>gap 0.60</c>), over both variants: starts given, and how many are true.</summary>
        internal Dictionary<string, (int Found, int True)> BySource { get; } = [];

        /// <summary>Recall and precision over the whole corpus (every start of every binary counted once).</summary>
        public (double Recall, double Precision) Score(bool withUnwind)
        {
            var scores = _scores.Where(s => s.Key.Item2 == withUnwind).Select(s => s.Value).ToList();
            return ((double)scores.Sum(s => s.Hits) / scores.Sum(s => s.Truth), (double)scores.Sum(s => s.Hits) / scores.Sum(s => s.Found));
        }

        public override string ToString() =>
            $"{string.Join(", ", Binaries.Select(b => b.Name))}{(_skipped.Count > 0 ? $" (skipped: {string.Join("; ", _skipped)})" : "")}";

        public void Dispose() => _folder.Dispose();
    }
}
