using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;
using OpenQA.Selenium;

namespace GhidraInsight.Dashboard.Tests.Support;

/// <summary>
/// <c>ghidrainsight up</c> (three regions and the gateway, as processes) with API keys of three roles, added as an operator adds
/// them (each config.yaml edited, then SIGHUP), and Debian's chromium driven through its chromedriver. Shared by the dashboard
/// tests, which run one after another.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string AdminKey = "dashboard-admin-key-0123456789";
    public const string ReadKey = "dashboard-read-key-0123456789";
    public const string AnnotateKey = "dashboard-annotate-key-0123456789";

    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    private readonly TempFolder _folder = new("ghidrainsight-dashboard-");
    private readonly TempFolder _profile = new("ghidrainsight-chromium-");
    private UpProcess? _up;
    private WebDriver? _driver;

    public IWebDriver Driver => _driver ?? throw new InvalidOperationException("not started");

    internal UpProcess Up => _up ?? throw new InvalidOperationException("not started");

    /// <summary>The gateway's base URL (with a trailing slash).</summary>
    public string Gateway { get; private set; } = "";

    /// <summary>Each region's base URL (with a trailing slash), by name.</summary>
    public IReadOnlyDictionary<string, string> RegionUrls { get; private set; } = new Dictionary<string, string>();

    /// <summary>An HTTP client with the admin key, for what the tests do beside the browser.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Where the screenshots go: TestResults/dashboard at the repository's root (or beside the tests when there is none).</summary>
    public static string ScreenshotFolder { get; } = FindScreenshotFolder();

    public async Task InitializeAsync()
    {
        foreach (var program in new[] { Chromium.Program, Chromium.Driver })
        {
            Assert.True(File.Exists(program), $"{program} is missing: install Debian's chromium and chromium-driver (.ci/run does).");
        }

        var port = FreePorts.ConsecutiveBlock(4);
        _up = UpProcess.Start(_folder.Path, port);
        var lines = await _up.LinesUntilUpAsync();
        Assert.True(lines.Any(l => l.StartsWith("GhidraInsight is up", StringComparison.Ordinal)), string.Join('\n', lines) + _up.Stderr);
        Gateway = $"http://127.0.0.1:{port + 3}/";
        RegionUrls = Regions.Select((name, i) => (name, url: $"http://127.0.0.1:{port + i}/")).ToDictionary(r => r.name, r => r.url);
        await AddKeysAsync();
        Http.DefaultRequestHeaders.Add("X-API-Key", AdminKey);

        _driver = Chromium.Start(_profile.Path);
    }

    /// <summary>
    /// Three keys (admin, read, annotate) into every region's and the gateway's config.yaml, then SIGHUP to up; returns once the
    /// gateway and every region ask for a key.
    /// </summary>
    private async Task AddKeysAsync()
    {
        var entries = string.Join('\n', new[] { ("ops", "admin", AdminKey), ("reader", "read", ReadKey), ("annotator", "annotate", AnnotateKey) }
            .Select(k => $"    - {{ name: {k.Item1}, role: {k.Item2}, key_sha256: \"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(k.Item3)))}\" }}"));
        foreach (var name in Regions.Append("gateway"))
        {
            var file = Path.Combine(_folder.Path, name, "config.yaml");
            var text = await File.ReadAllTextAsync(file);
            Assert.Contains("  api_keys: []", text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(file, text.Replace("  api_keys: []", "  api_keys:\n" + entries, StringComparison.Ordinal));
        }

        Up.Hangup();
        using var anonymous = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var url in RegionUrls.Values.Append(Gateway))
        {
            Assert.True(await EventuallyAsync(async () => (await anonymous.GetAsync(url + "api/whoami")).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30)),
                $"{url} still answers without a key after SIGHUP:\n{Up.Stderr}");
        }
    }

    /// <summary>Opens <paramref name="url"/> and uses <paramref name="key"/> there (null: forgets any key), as a user types it.</summary>
    public void OpenWithKey(string url, string? key)
    {
        // A fresh load, not a jump within the page: what the page shows then comes from this key alone.
        Driver.Navigate().GoToUrl("about:blank");
        Driver.Navigate().GoToUrl(url);
        WaitUntil(() => Driver.FindElement(By.Id("whoami")).Text.Length > 0, "the page to say who the key is");
        if (key is null)
        {
            Driver.FindElement(By.Id("key-forget")).Click();
            WaitUntil(() => Driver.FindElement(By.Id("whoami")).Text == "no valid key", "the key to be forgotten");
            return;
        }

        var input = Driver.FindElement(By.Id("key-input"));
        input.Clear();
        input.SendKeys(key);
        Driver.FindElement(By.Id("key-save")).Click();
        var expected = key switch
        {
            AdminKey => "ops (admin)",
            ReadKey => "reader (read)",
            AnnotateKey => "annotator (annotate)",
            _ => throw new ArgumentException("not one of the fixture's keys", nameof(key)),
        };
        WaitUntil(() => Driver.FindElement(By.Id("whoami")).Text == expected, $"the page to say {expected}");
    }

    /// <summary>Polls <paramref name="condition"/> (exceptions count as not yet) until it holds; fails with a screenshot otherwise.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException e)
            {
                last = e;
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }

            Thread.Sleep(100);
        }

        var shot = Screenshot("failed-" + new string(what.Where(char.IsLetterOrDigit).Take(40).ToArray()));
        Assert.Fail($"Waited {deadline.Elapsed.TotalSeconds:F0} s for {what}; screenshot {shot}. {last?.Message}\nBanner: {BannerText()}");
    }

    private string BannerText()
    {
        try
        {
            return Driver.FindElement(By.Id("banner")).Text;
        }
        catch (WebDriverException)
        {
            return "";
        }
    }

    /// <summary>Saves a screenshot of the page as it is (a test artifact); its path.</summary>
    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Uploads <paramref name="bytes"/> through the gateway; the analysis JSON.</summary>
    public async Task<JsonNode> UploadAsync(byte[] bytes, string name)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "file", name);
        using var response = await Http.PostAsync(Gateway + "api/analyze", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static string FindScreenshotFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GhidraInsight.sln")))
            {
                return Path.Combine(dir.FullName, "TestResults", "dashboard");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");
    }

    public Task DisposeAsync()
    {
        _driver?.Quit();
        _driver?.Dispose();
        _up?.Dispose();
        Http.Dispose();
        _profile.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
