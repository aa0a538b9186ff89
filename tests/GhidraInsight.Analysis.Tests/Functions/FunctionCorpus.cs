using System.Globalization;
using GhidraInsight.Analysis.Model;
using GhidraInsight.Tests.Shared;

namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>One corpus binary: built with symbols, then stripped with and without its unwind information.</summary>
/// <param name="Name">What it is and how it was built.</param>
/// <param name="WithUnwind">Stripped of symbols, unwind information kept (<c>.eh_frame</c>, <c>.pdata</c>).</param>
/// <param name="WithoutUnwind">Stripped of symbols and of every unwind section.</param>
/// <param name="Truth">Every function start the symbol table gave before stripping (from readelf or nm, not from us).</param>
internal sealed record CorpusBinary(string Name, string WithUnwind, string WithoutUnwind, IReadOnlySet<ulong> Truth);

/// <summary>
/// The ground-truth corpus for function discovery: real code compiled here with symbols (C, C++ and Rust, linked statically
/// so the C, C++ and Rust standard libraries' own functions make up most of it; several optimization levels; also without
/// asynchronous unwind tables; ELF and 32- and 64-bit PE), plus libraries of this machine that ship with symbols. Each is then
/// stripped, once keeping and once removing its unwind sections. A compiler or library this machine lacks is skipped and said.
/// </summary>
internal static class FunctionCorpus
{
    private static readonly (string Name, string Compiler, string Source, string[] Arguments, string Kind)[] Builds =
    [
        ("C, gcc -O2, static", "gcc", "program.c", ["-O2", "-static"], "elf"),
        ("C, gcc -O0 -fno-asynchronous-unwind-tables, static", "gcc", "program.c", ["-O0", "-fno-asynchronous-unwind-tables", "-static"], "elf"),
        ("C, clang -O2, static", "clang", "program.c", ["-O2", "-static"], "elf"),
        ("C++, g++ -O2, static libstdc++", "g++", "program.cpp", ["-O2", "-static-libstdc++", "-static-libgcc"], "elf"),
        ("C++, clang++ -O1, static", "clang++", "program.cpp", ["-O1", "-static"], "elf"),
        ("Rust, rustc -O", "rustc", "program.rs", ["-C", "opt-level=3"], "elf"),
        ("Rust, rustc (debug)", "rustc", "program.rs", ["-C", "opt-level=0"], "elf"),
        ("C, 32-bit PE, i686-w64-mingw32-gcc -O2", "i686-w64-mingw32-gcc", "program.c", ["-O2", "-static"], "pe32"),
        ("C, 64-bit PE, x86_64-w64-mingw32-gcc -O2", "x86_64-w64-mingw32-gcc", "program.c", ["-O2", "-static"], "pe64"),
    ];

    /// <summary>Libraries that ship with their symbols on Debian.</summary>
    private static readonly string[] ShippedWithSymbols =
    [
        "/usr/lib/x86_64-linux-gnu/libsframe.so.0",
        "/usr/lib/x86_64-linux-gnu/liblsan.so.0",
    ];

    /// <summary>Builds the corpus under <paramref name="folder"/>; <paramref name="skipped"/> hears what could not be built and why.</summary>
    public static List<CorpusBinary> Build(string folder, Action<string> skipped)
    {
        var sources = Path.Combine(AppContext.BaseDirectory, "Corpus");
        var corpus = new List<CorpusBinary>();
        foreach (var (name, compiler, source, arguments, kind) in Builds)
        {
            if (ExternalTool.Find(compiler) is null)
            {
                skipped($"{name}: {compiler} is not installed");
                continue;
            }
            var output = Path.Combine(folder, Slug(name) + (kind == "elf" ? "" : ".exe"));
            var args = compiler == "rustc"
                ? [.. arguments, "-o", output, Path.Combine(sources, source)]
                : arguments.Concat(["-o", output, Path.Combine(sources, source)]).ToArray();
            ExternalTool.RunWithExit(compiler, args, out var exit);
            if (exit != 0 || !File.Exists(output))
            {
                skipped($"{name}: {compiler} could not build it here");
                continue;
            }
            corpus.Add(Strip(name, output, kind));
        }
        foreach (var library in ShippedWithSymbols)
        {
            if (!File.Exists(library))
            {
                skipped($"{Path.GetFileName(library)}: not on this machine");
                continue;
            }
            var copy = Path.Combine(folder, Path.GetFileName(library));
            File.Copy(library, copy, overwrite: true);
            corpus.Add(Strip($"{Path.GetFileName(library)} (Debian, shipped with symbols)", copy, "elf"));
        }
        return corpus;
    }

    private static CorpusBinary Strip(string name, string path, string kind)
    {
        var objcopy = kind switch
        {
            "pe32" => "i686-w64-mingw32-objcopy",
            "pe64" => "x86_64-w64-mingw32-objcopy",
            _ => "objcopy",
        };
        var truth = kind == "elf" ? ElfFunctionStarts(path) : PeFunctionStarts(path, kind == "pe32" ? "i686-w64-mingw32-nm" : "x86_64-w64-mingw32-nm");
        var withUnwind = path + ".stripped";
        var withoutUnwind = path + ".no-unwind";
        ExternalTool.Run(objcopy, "--strip-all", path, withUnwind);
        ExternalTool.Run(objcopy, "--strip-all", "-R", ".eh_frame", "-R", ".eh_frame_hdr", "-R", ".pdata", "-R", ".xdata", path, withoutUnwind);
        return new CorpusBinary(name, withUnwind, withoutUnwind, truth);
    }

    /// <summary>FUNC symbols defined in the file, per readelf (what stripping removes).</summary>
    private static HashSet<ulong> ElfFunctionStarts(string path)
    {
        var starts = new HashSet<ulong>();
        foreach (var line in ExternalTool.Run("readelf", "-sW", path).Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Num: Value Size Type Bind Vis Ndx Name
            if (fields.Length >= 7 && fields[0].EndsWith(':') && fields[3] == "FUNC" && fields[6] != "UND"
                && ulong.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) && value != 0)
            {
                starts.Add(value);
            }
        }
        return starts;
    }

    /// <summary>Text symbols of a PE's COFF symbol table, per nm.</summary>
    private static HashSet<ulong> PeFunctionStarts(string path, string nm)
    {
        var starts = new HashSet<ulong>();
        foreach (var line in ExternalTool.Run(nm, "--defined-only", path).Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[1] is "T" or "t" && !fields[2].StartsWith('.')
                && ulong.TryParse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                starts.Add(value);
            }
        }
        return starts;
    }

    /// <summary>
    /// Recall and precision of <paramref name="found"/>'s function starts against <paramref name="truth"/>. PLT stubs are not
    /// counted (no symbol table names them).
    /// </summary>
    public static (double Recall, double Precision, int Found, int Truth) Score(AnalysisResult found, IReadOnlySet<ulong> truth)
    {
        var plt = found.Sections.Where(s => s.Name.StartsWith(".plt", StringComparison.Ordinal)).ToList();
        var starts = found.Functions.Select(f => f.Address).Where(a => !plt.Exists(s => a >= s.Address && a < s.Address + (ulong)s.Size)).ToHashSet();
        var hits = starts.Count(truth.Contains);
        return (truth.Count == 0 ? 1 : (double)hits / truth.Count, starts.Count == 0 ? 1 : (double)hits / starts.Count, starts.Count, truth.Count);
    }

    /// <summary>
    /// Per <c>source</c> and confidence (as <c>gap 0.70</c>): how many starts it gave (PLT stubs not counted) and how many of them
    /// are in <paramref name="truth"/>.
    /// </summary>
    public static IEnumerable<(string Source, int Found, int True)> BySource(AnalysisResult found, IReadOnlySet<ulong> truth)
    {
        var plt = found.Sections.Where(s => s.Name.StartsWith(".plt", StringComparison.Ordinal)).ToList();
        return found.Functions
            .Where(f => !plt.Exists(s => f.Address >= s.Address && f.Address < s.Address + (ulong)s.Size))
            .GroupBy(f => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.Source} {f.Confidence:F2}"))
            .Select(g => (g.Key, g.Count(), g.Count(f => truth.Contains(f.Address))));
    }

    private static string Slug(string name) => new([.. name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
}
