using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>An upload names its analysis (multipart file name or <c>?name=</c>), and <c>GET /api/analyses?q=</c> searches.</summary>
public sealed class AnalysisNameEndpointTests
{
    [Fact]
    public async Task MultipartUpload_WithAFileName_IsNamed_InTheAnswerTheAnalysisAndTheList()
    {
        await using var region = await TestRegion.StartAsync();

        var uploaded = await UploadMultipartAsync(region, Samples.Variant(1), "hello.elf");
        var id = (string)uploaded["analysis_id"]!;
        var read = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses/{id}"));
        var listed = Assert.Single((await Json.ReadAsync(await region.Client.GetAsync("api/analyses")))["items"]!.AsArray())!;

        Assert.Equal("hello.elf", (string?)uploaded["name"]);
        Assert.Equal("hello.elf", (string?)read["name"]);
        Assert.Equal("test-1", (string?)read["region"]);
        Assert.Equal((id, "hello.elf"), ((string?)listed["analysis_id"], (string?)listed["name"]));
    }

    [Fact]
    public async Task RawUpload_WithANameParameter_IsNamed_AndWithoutOne_HasNone()
    {
        await using var region = await TestRegion.StartAsync();

        using var named = await region.Client.PostAsync("api/analyze?name=tool%20v2.exe", TestRegion.Binary(Samples.Variant(2)));
        using var unnamed = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.Variant(3)));
        var namedBody = await Json.ReadAsync(named);
        var unnamedBody = await Json.ReadAsync(unnamed);

        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal("tool v2.exe", (string?)namedBody["name"]);
        Assert.False(unnamedBody.AsObject().ContainsKey("name"));
        var items = (await Json.ReadAsync(await region.Client.GetAsync("api/analyses")))["items"]!.AsArray();
        Assert.Equal("tool v2.exe", (string?)items.Single(i => (string?)i!["analysis_id"] == (string?)namedBody["analysis_id"])!["name"]);
        Assert.Null((string?)items.Single(i => (string?)i!["analysis_id"] == (string?)unnamedBody["analysis_id"])!["name"]);
    }

    [Fact]
    public async Task TheNameParameter_WinsOverTheMultipartFileName()
    {
        await using var region = await TestRegion.StartAsync();

        var uploaded = await UploadMultipartAsync(region, Samples.Variant(4), "from-form.bin", "?name=from-query.bin");

        Assert.Equal("from-query.bin", (string?)uploaded["name"]);
    }

    [Theory]
    [InlineData("/home/me/builds/release/app.elf", "app.elf")]
    [InlineData("C:\\Users\\me\\Desktop\\setup.exe", "setup.exe")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("  spaced\tout.bin  ", "spacedout.bin")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("builds/", null)]
    [InlineData(" .. ", null)]
    public async Task AName_KeepsOnlyItsLastPathComponent_WithoutControlOrReorderingCharactersOrOuterSpaces(string sent, string? expected)
    {
        await using var region = await TestRegion.StartAsync();

        using var response = await region.Client.PostAsync($"api/analyze?name={Uri.EscapeDataString(sent)}", TestRegion.Binary(Samples.Variant(5)));
        var body = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (string?)body["name"]);
    }

    [Fact]
    public async Task AMultipartFileNameWithAPath_IsReducedToItsLastComponent()
    {
        await using var region = await TestRegion.StartAsync();

        var uploaded = await UploadMultipartAsync(region, Samples.Variant(6), "/tmp/upload/dir/name with spaces.so");

        Assert.Equal("name with spaces.so", (string?)uploaded["name"]);
    }

    [Fact]
    public async Task AnOverlongName_IsCutTo255Characters()
    {
        await using var region = await TestRegion.StartAsync();

        var uploaded = await Json.ReadAsync(await region.Client.PostAsync($"api/analyze?name={new string('n', 400)}.exe", TestRegion.Binary(Samples.Variant(7))));

        Assert.Equal(new string('n', 255), (string?)uploaded["name"]);
    }

    [Fact]
    public async Task AReupload_NamesAnUnnamedAnalysis_ButNeverRenamesOne()
    {
        await using var region = await TestRegion.StartAsync();
        var bytes = Samples.Variant(8);
        var id = (string)(await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(bytes))))["analysis_id"]!;

        var named = await Json.ReadAsync(await region.Client.PostAsync("api/analyze?name=first.bin", TestRegion.Binary(bytes)));
        var renamed = await Json.ReadAsync(await region.Client.PostAsync("api/analyze?name=second.bin", TestRegion.Binary(bytes)));
        var unnamed = await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(bytes)));

        Assert.Equal(["first.bin", "first.bin", "first.bin"], new[] { named, renamed, unnamed }.Select(b => (string?)b["name"]));
        Assert.Equal("first.bin", (string?)(await Json.ReadAsync(await region.Client.GetAsync($"api/analyses/{id}")))["name"]);
        Assert.Equal("first.bin", (string?)Assert.Single((await Json.ReadAsync(await region.Client.GetAsync("api/analyses")))["items"]!.AsArray())!["name"]);
    }

    [Fact]
    public async Task Search_FindsAnalysesByNameIdPrefixOrFormat_AndPagesThroughTheMatches()
    {
        await using var region = await TestRegion.StartAsync();
        var driver1 = (string)(await UploadMultipartAsync(region, Samples.Variant(10), "Driver-1.sys"))["analysis_id"]!;
        var driver2 = (string)(await UploadMultipartAsync(region, Samples.Variant(11), "driver-2.sys"))["analysis_id"]!;
        var other = (string)(await UploadMultipartAsync(region, Samples.Variant(12), "other.bin"))["analysis_id"]!;

        Assert.Equal(new[] { driver1, driver2 }.Order(StringComparer.Ordinal), await SearchAsync(region, "DRIVER"));
        Assert.Equal([other], await SearchAsync(region, other[..12].ToUpperInvariant()));
        Assert.Equal(new[] { driver1, driver2, other }.Order(StringComparer.Ordinal), await SearchAsync(region, " ELF "));
        Assert.Empty(await SearchAsync(region, "pe"));
        Assert.Empty(await SearchAsync(region, "%"));

        var first = await Json.ReadAsync(await region.Client.GetAsync("api/analyses?q=driver&limit=1"));
        var second = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses?q=driver&limit=1&after={first["next"]}"));
        var third = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses?q=driver&limit=1&after={second["next"]}"));
        Assert.Equal(new[] { driver1, driver2 }.Order(StringComparer.Ordinal),
            new[] { first, second }.Select(p => (string)Assert.Single(p["items"]!.AsArray())!["analysis_id"]!));
        Assert.Empty(third["items"]!.AsArray());
    }

    [Fact]
    public async Task Search_WithMoreThan255Characters_IsABadInputProblem()
    {
        await using var region = await TestRegion.StartAsync();

        await Json.AssertProblemAsync(await region.Client.GetAsync($"api/analyses?q={new string('x', 256)}"), 400, "BAD_INPUT");
        using var longest = await region.Client.GetAsync($"api/analyses?q={new string('x', 255)}");
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
    }

    private static async Task<JsonNode> UploadMultipartAsync(TestRegion region, byte[] bytes, string fileName, string query = "")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        using var response = await region.Client.PostAsync("api/analyze" + query, form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private static async Task<IReadOnlyList<string>> SearchAsync(TestRegion region, string query)
    {
        var page = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses?q={Uri.EscapeDataString(query)}"));
        return [.. page["items"]!.AsArray().Select(i => (string)i!["analysis_id"]!)];
    }
}
