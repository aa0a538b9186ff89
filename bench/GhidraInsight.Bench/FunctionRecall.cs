using System.Globalization;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Tests.Functions;
using GhidraInsight.Tests.Shared;

namespace GhidraInsight.Bench;

/// <summary>
/// Function-start recall and precision per corpus binary (<see cref="FunctionCorpus"/>: real code built here with symbols, and
/// libraries that ship with them), stripped with and without unwind information, against the symbol table; and over the whole
/// corpus (every start of every binary counted once).
/// </summary>
internal static class FunctionRecall
{
    public static int Run()
    {
        var folder = Directory.CreateTempSubdirectory("ghidrainsight-corpus-").FullName;
        try
        {
            var corpus = FunctionCorpus.Build(folder, reason => Console.WriteLine($"skipped: {reason}"));
            var engine = new AnalysisEngine();
            Console.WriteLine($"{"binary",-56} {"starts",7}  {"with unwind info",-22}  {"without",-22}");
            var totals = new long[2, 3];
            // Per source (symbol, call, pointer, gap, …): how many starts it gave and how many of them are true, over both variants.
            var bySource = new SortedDictionary<string, (long Found, long True)>(StringComparer.Ordinal);
            foreach (var binary in corpus)
            {
                var cells = new List<string>();
                foreach (var (file, i) in new[] { binary.WithUnwind, binary.WithoutUnwind }.Select((f, i) => (f, i)))
                {
                    var analysis = engine.Analyze(File.ReadAllBytes(file));
                    var score = FunctionCorpus.Score(analysis, binary.Truth);
                    foreach (var (source, found, hits) in FunctionCorpus.BySource(analysis, binary.Truth))
                    {
                        var key = $"{source}{(i == 0 ? "" : ", no unwind")}";
                        var (f, t) = bySource.GetValueOrDefault(key);
                        bySource[key] = (f + found, t + hits);
                    }
                    totals[i, 0] += (long)Math.Round(score.Recall * score.Truth);
                    totals[i, 1] += score.Truth;
                    totals[i, 2] += score.Found;
                    cells.Add(string.Create(CultureInfo.InvariantCulture, $"recall {score.Recall:F3} prec {score.Precision:F3}"));
                }
                Console.WriteLine($"{binary.Name,-56} {binary.Truth.Count,7}  {cells[0],-22}  {cells[1],-22}");
            }
            for (var i = 0; i < 2; i++)
            {
                var target = i == 1 ? " (target: recall >= 0.90 at precision >= 0.97)" : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"whole corpus, {(i == 0 ? "with unwind info" : "without unwind info")}: recall {(double)totals[i, 0] / totals[i, 1]:F3}, precision {(double)totals[i, 0] / totals[i, 2]:F3}{target}"));
            }
            Console.WriteLine("precision per source and confidence: how well each confidence is calibrated");
            foreach (var (source, (found, hits)) in bySource)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {source,-28} {hits,7} of {found,7} true: {(double)hits / found:F3}"));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
