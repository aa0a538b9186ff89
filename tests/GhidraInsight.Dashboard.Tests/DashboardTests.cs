using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GhidraInsight.Dashboard.Tests.Support;
using GhidraInsight.Server.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace GhidraInsight.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's chromium) against <c>ghidrainsight up</c>: the regions view follows a killed region,
/// an upload appears in the list and can be found, a rename shows in the function view, a stale edit shows both versions, and
/// the page offers only what the key's role allows. Every test saves screenshots under TestResults/dashboard.
/// </summary>
public sealed class DashboardTests(DashboardFixture dashboard, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private IWebDriver Driver => dashboard.Driver;

    [Fact]
    public async Task RegionsView_ShowsAKilledRegionOut_WithinAProbeInterval_AndBackWhenItReturns()
    {
        dashboard.OpenWithKey(dashboard.Gateway + "#/regions", DashboardFixture.AdminKey);
        dashboard.WaitUntil(() => RegionRows().Count == 3 && RegionRows().All(r => r.GetAttribute("data-healthy") == "true"), "three serving regions");
        Assert.Equal("primary", Row("us-east-1").Role);
        Assert.Contains("→ eu-west-1", Row("us-east-1").Text, StringComparison.Ordinal);
        Assert.Equal("via the gateway", Driver.FindElement(By.Id("served-by")).Text);
        // uPlot draws the lag chart on a canvas once samples arrive.
        dashboard.WaitUntil(() => Driver.FindElements(By.CssSelector("#lag-chart canvas")).Count > 0, "the lag chart");
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("failovers-table")).FindElements(By.CssSelector("tbody tr")).Count > 0, "the failover history");
        output.WriteLine(dashboard.Screenshot("regions"));

        // A region's own page, for that region (another origin: the key is asked for again).
        dashboard.OpenWithKey(dashboard.RegionUrls["eu-west-1"] + "dashboard", DashboardFixture.AdminKey);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("served-by")).Text == "region eu-west-1" && RegionRows().Count == 3, "eu-west-1's own view");
        Assert.Contains("→ ap-south-1", Row("eu-west-1").Text, StringComparison.Ordinal);
        output.WriteLine(dashboard.Screenshot("region-eu-west-1"));

        dashboard.OpenWithKey(dashboard.Gateway + "#/regions", DashboardFixture.AdminKey);
        dashboard.WaitUntil(() => RegionRows().Count == 3 && RegionRows().All(r => r.GetAttribute("data-healthy") == "true"), "three serving regions again");
        var pid = await ProcessIdAsync("ap-south-1");
        var killed = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        // The gateway probes every second and the page polls as often: well within five seconds.
        dashboard.WaitUntil(() => Row("ap-south-1").Healthy == "false", "ap-south-1 shown out", TimeSpan.FromSeconds(5));
        output.WriteLine($"shown out {killed.ElapsedMilliseconds} ms after the kill");
        var killedRow = Row("ap-south-1");
        Assert.Contains("✗", killedRow.Status, StringComparison.Ordinal);
        Assert.NotEmpty(killedRow.WhyOut);
        // What it reported before it died is labelled as such, not shown as its state now.
        Assert.NotEmpty(killedRow.Replication);
        Assert.All(killedRow.Replication, line => Assert.StartsWith("last reported: →", line, StringComparison.Ordinal));
        output.WriteLine(dashboard.Screenshot("regions-ap-south-1-killed"));

        dashboard.Up.RestartExited();
        dashboard.WaitUntil(() => Row("ap-south-1").Healthy == "true", "ap-south-1 back after up restarted it", TimeSpan.FromSeconds(90));
        Assert.Empty(Row("ap-south-1").WhyOut);
    }

    [Fact]
    public void Upload_ByChoosingAFileAndByDropping_AppearsInTheList_AndIsFoundByNameHashAndFormat()
    {
        dashboard.OpenWithKey(dashboard.Gateway + "#/analyses", DashboardFixture.AdminKey);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("upload")).Displayed, "the upload area");

        var tag = Guid.NewGuid().ToString("N")[..8];
        var chosen = Samples.Variant(1000 + Random.Shared.Next(100000));
        var chosenName = $"chosen-{tag}.elf";
        using var folder = new TempFolder("ghidrainsight-dashboard-upload-");
        var path = Path.Combine(folder.Path, chosenName);
        File.WriteAllBytes(path, chosen);
        Driver.FindElement(By.Id("upload-input")).SendKeys(path);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("upload-status")).Text.StartsWith($"Analysed {chosenName}", StringComparison.Ordinal), "the chosen file analysed");
        dashboard.WaitUntil(() => AnalysisRow(Sha256(chosen)) is { } row && row.Text.Contains(chosenName, StringComparison.Ordinal), "the chosen file in the list");

        // Dropped as a browser drops a file: a drop event whose DataTransfer holds it.
        var dropped = Samples.Variant(200000 + Random.Shared.Next(100000));
        var droppedName = $"dropped-{tag}.elf";
        ((IJavaScriptExecutor)Driver).ExecuteScript("""
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], arguments[1], { type: "application/octet-stream" }));
            const zone = document.getElementById("upload");
            zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            """, Convert.ToBase64String(dropped), droppedName);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("upload-status")).Text.StartsWith($"Analysed {droppedName}", StringComparison.Ordinal), "the dropped file analysed");
        dashboard.WaitUntil(() => AnalysisRow(Sha256(dropped)) is { } row && row.Text.Contains(droppedName, StringComparison.Ordinal), "the dropped file in the list");
        output.WriteLine(dashboard.Screenshot("analyses-uploaded"));

        Search(tag);
        dashboard.WaitUntil(() => AnalysisRows().Count == 2, "both uploads found by their names' common part");
        Search(droppedName.ToUpperInvariant());
        dashboard.WaitUntil(() => AnalysisRows().Count == 1 && AnalysisRow(Sha256(dropped)) is not null, "the dropped file found by name, whatever the case");
        Search(Sha256(chosen)[..12]);
        dashboard.WaitUntil(() => AnalysisRows().Count == 1 && AnalysisRow(Sha256(chosen)) is not null, "the chosen file found by a prefix of its sha256");
        Search("ELF");
        dashboard.WaitUntil(() => AnalysisRow(Sha256(chosen)) is not null && AnalysisRows().All(r => r.Text.Contains(" elf ", StringComparison.Ordinal)), "ELF files found by format");
        Search("no-such-binary-" + tag);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("analyses-table")).Text.Contains("Nothing matches", StringComparison.Ordinal), "an empty search said so");
        output.WriteLine(dashboard.Screenshot("analyses-search"));
    }

    [Fact]
    public async Task Rename_FromTheFunctionView_GoesToThePrimary_AndShowsInTheFunctionViewAndTheList()
    {
        var (id, address) = await UploadWithCallingFunctionAsync("rename");
        dashboard.OpenWithKey(dashboard.Gateway + $"#/analyses/{id}", DashboardFixture.AdminKey);
        dashboard.WaitUntil(() => Driver.FindElements(By.CssSelector("#entropy-chart canvas")).Count > 0, "the entropy-over-offset chart");
        dashboard.WaitUntil(() => Driver.FindElements(By.CssSelector("#sections-chart .bar-row")).Count > 0, "a bar per section");
        output.WriteLine(dashboard.Screenshot("analysis"));

        Driver.Navigate().GoToUrl(dashboard.Gateway + $"#/analyses/{id}/functions/{address}");
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("function-address")).Text == address, "the function view");
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("disassembly")).Text.Contains(address[2..], StringComparison.Ordinal), "its disassembly");
        Assert.NotEmpty(Driver.FindElements(By.CssSelector("#function-calls li a")));
        dashboard.WaitUntil(() => Driver.FindElements(By.CssSelector("#callgraph canvas")).Count > 0, "the call graph");

        var name = "parse_config_" + Guid.NewGuid().ToString("N")[..6];
        var field = Driver.FindElement(By.Id("annotate-name"));
        field.Clear();
        field.SendKeys(name);
        Driver.FindElement(By.Id("annotate-comment")).SendKeys("renamed in the browser");
        Driver.FindElement(By.Id("annotate-save")).Click();
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("function-name")).Text == name, "the new name in the function view");
        Assert.StartsWith("Saved (version 1, by us-east-1)", Driver.FindElement(By.Id("annotate-status")).Text, StringComparison.Ordinal);
        Assert.Equal("Comment: renamed in the browser", Driver.FindElement(By.Id("function-comment")).Text);
        output.WriteLine(dashboard.Screenshot("function-renamed"));

        // Stored by the primary, and read back from another region once replicated.
        var stored = await AnnotationAsync(dashboard.RegionUrls["us-east-1"], id, address);
        Assert.Equal(name, (string?)stored!["name"]);
        Assert.True(await DashboardFixture.EventuallyAsync(async () => (string?)(await AnnotationAsync(dashboard.RegionUrls["ap-south-1"], id, address))?["name"] == name,
            TimeSpan.FromSeconds(30)));

        Driver.Navigate().GoToUrl(dashboard.Gateway + $"#/analyses/{id}");
        dashboard.WaitUntil(() => Driver.FindElement(By.CssSelector($"#functions-table tr[data-address='{address}'] .fname")).Text == name, "the new name in the functions list");
        var rows = Driver.FindElements(By.CssSelector("#functions-table tbody tr")).Count;
        Driver.FindElement(By.Id("functions-filter")).SendKeys(name);
        dashboard.WaitUntil(() => Driver.FindElements(By.CssSelector("#functions-table tbody tr")).Count == 1, "the functions filtered to the renamed one");
        Assert.True(rows > 1, $"{rows} functions listed before filtering");
        Driver.FindElement(By.Id("strings-filter")).SendKeys("no string has this text");
        dashboard.WaitUntil(() => Driver.FindElements(By.CssSelector("#strings tbody tr")).Count == 0, "the strings filtered to none");
    }

    [Fact]
    public async Task StaleEdit_ShowsBothVersions_LosesNeither_AndCanBeSavedOverTheNewOne()
    {
        var (id, address) = await UploadWithCallingFunctionAsync("conflict");
        Assert.Equal(HttpStatusCode.Created, (await PutAnnotationAsync(id, address, "first_name", "If-None-Match", "*")).StatusCode);

        dashboard.OpenWithKey(dashboard.Gateway + $"#/analyses/{id}/functions/{address}", DashboardFixture.AdminKey);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("function-name")).Text == "first_name", "the function view at version 1");

        // Someone else saves while the page still holds version 1.
        Assert.Equal(HttpStatusCode.OK, (await PutAnnotationAsync(id, address, "their_name", "If-Match", "\"1\"")).StatusCode);

        var field = Driver.FindElement(By.Id("annotate-name"));
        field.Clear();
        field.SendKeys("my_name");
        Driver.FindElement(By.Id("annotate-save")).Click();
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("conflict")).Displayed, "the conflict");
        Assert.Contains("my_name", Driver.FindElement(By.Id("conflict-mine")).Text, StringComparison.Ordinal);
        Assert.Contains("their_name", Driver.FindElement(By.Id("conflict-theirs")).Text, StringComparison.Ordinal);
        Assert.StartsWith("version 2", Driver.FindElement(By.Id("conflict-version")).Text, StringComparison.Ordinal);
        // Neither is lost: the stored one is theirs, and mine is still in the form.
        Assert.Equal("their_name", (string?)(await AnnotationAsync(dashboard.Gateway, id, address))!["name"]);
        Assert.Equal("my_name", Driver.FindElement(By.Id("annotate-name")).GetAttribute("value"));
        output.WriteLine(dashboard.Screenshot("function-conflict"));

        Driver.FindElement(By.Id("conflict-overwrite")).Click();
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("function-name")).Text == "my_name", "mine saved over theirs");
        Assert.False(Driver.FindElement(By.Id("conflict")).Displayed);
        var stored = await AnnotationAsync(dashboard.Gateway, id, address);
        Assert.Equal("my_name", (string?)stored!["name"]);
        Assert.Equal(3, (int)stored["version"]!);
    }

    [Fact]
    public async Task Keys_LiveOnlyInTheTab_AndThePageOffersOnlyWhatTheRoleAllows()
    {
        var (id, address) = await UploadWithCallingFunctionAsync("roles");

        dashboard.OpenWithKey(dashboard.Gateway + "#/analyses", null);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("banner")).Text.Contains("enter one above", StringComparison.Ordinal), "the page to ask for a key");
        Assert.False(Driver.FindElement(By.Id("upload")).Displayed);
        output.WriteLine(dashboard.Screenshot("no-key"));

        dashboard.OpenWithKey(dashboard.Gateway + "#/analyses", DashboardFixture.ReadKey);
        Assert.Equal("reader (read)", Driver.FindElement(By.Id("whoami")).Text);
        dashboard.WaitUntil(() => AnalysisRows().Count > 0, "the list, readable with a read key");
        Assert.False(Driver.FindElement(By.Id("upload")).Displayed);
        Driver.Navigate().GoToUrl(dashboard.Gateway + $"#/analyses/{id}/functions/{address}");
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("function-address")).Text == address, "the function view with a read key");
        Assert.False(Driver.FindElement(By.Id("annotate-form")).Displayed);

        dashboard.OpenWithKey(dashboard.Gateway + $"#/analyses/{id}/functions/{address}", DashboardFixture.AnnotateKey);
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("annotate-form")).Displayed, "the edit form with an annotate key");

        // Kept for the tab only: in sessionStorage, nowhere that outlives it, and not in another tab.
        var js = (IJavaScriptExecutor)Driver;
        Assert.Equal(DashboardFixture.AnnotateKey, js.ExecuteScript("return sessionStorage.getItem('ghidrainsight.apiKey');"));
        Assert.Equal(0L, js.ExecuteScript("return localStorage.length;"));
        Assert.Equal("", js.ExecuteScript("return document.cookie;"));
        var first = Driver.CurrentWindowHandle;
        Driver.SwitchTo().NewWindow(WindowType.Tab);
        Driver.Navigate().GoToUrl(dashboard.Gateway + "#/analyses");
        dashboard.WaitUntil(() => Driver.FindElement(By.Id("whoami")).Text == "no valid key", "a new tab without the key");
        Driver.Close();
        Driver.SwitchTo().Window(first);
    }

    private IReadOnlyList<IWebElement> RegionRows() => Driver.FindElements(By.CssSelector("#regions-table tbody tr[data-region]"));

    /// <summary>
    /// One region's row as it is now, read in one script: the page redraws the table on every poll, so an element found first and
    /// read after may already be gone.
    /// </summary>
    private RegionRow Row(string region)
    {
        var cells = (IReadOnlyList<object>)((IJavaScriptExecutor)Driver).ExecuteScript("""
            const row = [...document.querySelectorAll('#regions-table tr[data-region]')].find(r => r.dataset.region === arguments[0]);
            if (!row) throw new Error('no row for ' + arguments[0]);
            return [row.dataset.healthy, row.dataset.role, row.innerText, row.querySelector('.status').innerText,
              row.querySelector('.why-out').innerText, [...row.querySelectorAll('td div')].map(d => d.innerText)];
            """, region)!;
        return new RegionRow((string)cells[0], (string)cells[1], (string)cells[2], (string)cells[3], ((string)cells[4]).Trim(),
            [.. ((IReadOnlyList<object>)cells[5]).Select(line => ((string)line).Trim())]);
    }

    private sealed record RegionRow(string Healthy, string Role, string Text, string Status, string WhyOut, IReadOnlyList<string> Replication);

    private IReadOnlyList<IWebElement> AnalysisRows() => Driver.FindElements(By.CssSelector("#analyses-table tbody tr[data-id]"));

    private IWebElement? AnalysisRow(string id) => Driver.FindElements(By.CssSelector($"#analyses-table tr[data-id='{id}']")).FirstOrDefault();

    private void Search(string text)
    {
        var box = Driver.FindElement(By.Id("search-input"));
        box.Clear();
        box.SendKeys(text + Keys.Enter);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A new analysis through the gateway, and the address of the function that calls the most others.</summary>
    private async Task<(string Id, string Address)> UploadWithCallingFunctionAsync(string purpose)
    {
        var analysis = await dashboard.UploadAsync(Samples.Variant(400000 + Random.Shared.Next(1000000)), purpose + ".elf");
        var function = analysis["functions"]!.AsArray().OrderByDescending(f => f!["calls"]!.AsArray().Count).First()!;
        Assert.NotEmpty(function["calls"]!.AsArray());
        return ((string)analysis["analysis_id"]!, (string)function["address"]!);
    }

    private async Task<JsonNode?> AnnotationAsync(string baseUrl, string id, string address)
    {
        using var response = await dashboard.Http.GetAsync($"{baseUrl}api/analyses/{id}/annotations/{address}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PutAnnotationAsync(string id, string address, string name, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{dashboard.Gateway}api/analyses/{id}/annotations/{address}")
        {
            Content = new StringContent($"{{\"name\":\"{name}\"}}", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation(header, value);
        return await dashboard.Http.SendAsync(request);
    }

    private async Task<int> ProcessIdAsync(string region)
    {
        var diagnostics = JsonNode.Parse(await dashboard.Http.GetStringAsync(dashboard.Gateway + "api/diagnostics"))!;
        return (int)diagnostics["regions"]![region]!["report"]!["process_id"]!;
    }
}
