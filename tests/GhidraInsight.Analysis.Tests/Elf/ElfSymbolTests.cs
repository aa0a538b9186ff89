namespace GhidraInsight.Analysis.Tests.Elf;

/// <summary>Symbol tables, imports, exports and function seeds compared with GNU readelf.</summary>
public sealed class ElfSymbolTests
{
    [Theory]
    [MemberData(nameof(ElfSamples.AllData), MemberType = typeof(ElfSamples))]
    public void Symbols_MatchReadelf_AsSetsPerTable(string sample)
    {
        var image = ElfSamples.Parse(sample);
        var sectionNames = image.Sections.Select(s => s.Name).ToList();
        var expected = ReadelfOutput.Symbols(ElfSamples.PathOf(sample))
            .Select(s => (s.Table, s.Name, s.Value, s.Size, s.Type, s.Binding, Section: SectionOf(s.Ndx, sectionNames)))
            .ToHashSet();

        var actual = image.Symbols.Select(s => (s.Source, s.Name, s.Address, s.Size, s.Type ?? "", s.Binding ?? "", s.Section ?? "")).ToHashSet();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), actual.Order());
    }

    [Theory]
    [MemberData(nameof(ElfSamples.LinkedData), MemberType = typeof(ElfSamples))]
    public void Imports_AreNeededLibrariesAndUndefinedDynamicSymbols(string sample)
    {
        var path = ElfSamples.PathOf(sample);
        var image = ElfSamples.Parse(sample);
        var undefined = ReadelfOutput.Symbols(path).Where(s => s.Table == "dynsym" && s.Ndx == "UND" && s.Name.Length > 0)
            .Select(s => s.Name).Order();

        Assert.Equal(ReadelfOutput.Needed(path), image.Imports.Where(i => i.Name is null).Select(i => i.Library!));
        Assert.Equal(undefined, image.Imports.Where(i => i.Name is not null).Select(i => i.Name!).Order());
    }

    [Theory]
    [MemberData(nameof(ElfSamples.LinkedData), MemberType = typeof(ElfSamples))]
    public void ImportLibraries_FollowSymbolVersions_LikeReadelf(string sample)
    {
        var expected = ReadelfOutput.ImportLibraries(ElfSamples.PathOf(sample));

        var actual = ElfSamples.Parse(sample).Imports.Where(i => i is { Name: not null, Library: not null })
            .ToDictionary(i => i.Name!, i => i.Library!);

        if (ElfSamples.HostExecutables.Contains(sample))
        {
            Assert.NotEmpty(expected);
        }
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [Fact]
    public void ImportLibraries_NameLibc_ForTheRiskyCallsOfTheNoPieSample()
    {
        var imports = ElfSamples.Parse("vuln-nopie").Imports.Where(i => i.Name is not null).ToDictionary(i => i.Name!, i => i.Library);

        Assert.Equal("libc.so.6", imports["gets"]);
        Assert.Equal("libc.so.6", imports["system"]);
        Assert.Null(imports["__gmon_start__"]);
    }

    [Theory]
    [MemberData(nameof(ElfSamples.LinkedData), MemberType = typeof(ElfSamples))]
    public void Exports_AreDefinedGlobalDynamicSymbolsWithAddresses(string sample)
    {
        var image = ElfSamples.Parse(sample);
        var expected = ReadelfOutput.Symbols(ElfSamples.PathOf(sample))
            .Where(s => s.Table == "dynsym" && s.Ndx != "UND" && s.Value != 0
                && s.Binding is "global" or "weak" or "unique" && s.Type is "func" or "object" or "ifunc" or "notype")
            .Select(s => (s.Name, s.Value)).Order();

        Assert.Equal(expected, image.Exports.Select(e => (e.Name, e.Address)).Order());
    }

    [Fact]
    public void Exports_ListTheLibraryFunctionsAndData_ForSharedSample()
    {
        var names = ElfSamples.Parse("library-so").Exports.Select(e => e.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "library_hash", "library_greet", "library_optional", "library_version" }, names);
        Assert.DoesNotContain("hash_step", names);
    }

    [Theory]
    [MemberData(nameof(ElfSamples.LinkedData), MemberType = typeof(ElfSamples))]
    public void FunctionSeeds_IncludeEveryDefinedFunctionSymbolAndTheEntryPoint(string sample)
    {
        var image = ElfSamples.Parse(sample);
        var functions = image.Symbols.Where(s => s.Type is "func" or "ifunc" && s.Section is not "UND" && s.Address != 0)
            .Select(s => s.Address).ToHashSet();
        var seeds = image.FunctionSeeds.Where(s => s.Source == "symbol").Select(s => s.Address).ToHashSet();

        Assert.Equal(functions.Order(), seeds.Order());
        if (image.EntryPoint is { } entry)
        {
            Assert.Contains(image.FunctionSeeds, s => s.Source == "entry" && s.Address == entry);
        }
    }

    private static string SectionOf(string ndx, List<string> sectionNames) =>
        int.TryParse(ndx, out var index) ? sectionNames[index - 1] : ndx;
}
