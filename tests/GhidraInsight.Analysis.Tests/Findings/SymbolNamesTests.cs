using GhidraInsight.Analysis.Findings;

namespace GhidraInsight.Analysis.Tests.Findings;

public sealed class SymbolNamesTests
{
    [Theory]
    [InlineData("gets", false, "gets")]
    [InlineData("strcpy@plt", false, "strcpy")]
    [InlineData("strcpy@GLIBC_2.2.5", false, "strcpy")]
    [InlineData("__isoc99_sscanf", false, "sscanf")]
    [InlineData("_system", true, "system")]
    [InlineData("___isoc99_scanf", true, "scanf")]
    [InlineData("CreateProcessA", false, "CreateProcess")]
    [InlineData("ShellExecuteExW", false, "ShellExecuteEx")]
    [InlineData("URLDownloadToFileW", false, "URLDownloadToFile")]
    [InlineData("__imp_WinExec", false, "WinExec")]
    [InlineData("_WinExec@8", true, "WinExec")]
    public void RiskyApi_IsRecognised_AfterItsDecorationsAreRemoved(string name, bool leadingUnderscore, string api)
    {
        var match = SymbolNames.Undecorate(name, leadingUnderscore).Select(RiskyApiCatalog.Find).FirstOrDefault(a => a is not null);
        Assert.NotNull(match);
        Assert.Contains(api, SymbolNames.Undecorate(name, leadingUnderscore));
    }

    [Theory]
    [InlineData("getsockopt")]
    [InlineData("fgets")]
    [InlineData("strcpy_s")]
    [InlineData("systemd_notify")]
    [InlineData("snprintf")]
    [InlineData("__sprintf_chk")]
    [InlineData("execute")]
    public void SafeOrUnrelatedName_IsNotAFinding(string name)
    {
        Assert.All(SymbolNames.Undecorate(name, leadingUnderscore: false), candidate => Assert.Null(RiskyApiCatalog.Find(candidate)));
    }
}
