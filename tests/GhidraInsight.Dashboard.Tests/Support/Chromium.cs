using OpenQA.Selenium.Chrome;

namespace GhidraInsight.Dashboard.Tests.Support;

/// <summary>
/// Debian's chromium, headless, driven through its own chromedriver (both from apt; no driver is downloaded), on a profile
/// folder of the caller's: what the dashboard tests and the dashboard benchmark start.
/// </summary>
internal static class Chromium
{
    public const string Program = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public static ChromeDriver Start(string profileFolder)
    {
        var options = new ChromeOptions { BinaryLocation = Program };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
            "--user-data-dir=" + profileFolder, "--no-first-run", "--disable-extensions");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
