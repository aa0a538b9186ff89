using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using GhidraInsight.Server.Tests.Support;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Tests;

public sealed class AnalyzeEndpointTests
{
    [Fact]
    public async Task Upload_OfRawBytes_ReturnsTheAnalysisNamedByItsSha256_FromThisRegion()
    {
        await using var region = await TestRegion.StartAsync();
        var bytes = Samples.ProgramElf;

        using var response = await region.Client.PostAsync("api/analyze", TestRegion.Binary(bytes));
        var body = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), (string?)body["analysis_id"]);
        Assert.Equal("test-1", (string?)body["region"]);
        Assert.Equal("elf", (string?)body["binary"]!["format"]);
        Assert.Contains(body["functions"]!.AsArray(), f => (string?)f!["name"] == "checksum");
    }

    [Fact]
    public async Task Upload_AsMultipartFile_GivesTheSameAnalysisAsRawBytes()
    {
        await using var region = await TestRegion.StartAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Samples.ProgramElf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "program");

        using var multipart = await region.Client.PostAsync("api/analyze", form);
        using var raw = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));

        Assert.Equal(HttpStatusCode.OK, multipart.StatusCode);
        Assert.Equal(await multipart.Content.ReadAsStringAsync(), await raw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FiftyConcurrentUploads_OfSameAndDifferentBinaries_AreCorrect_AndEachBinaryIsAnalysedOnce()
    {
        await using var region = await TestRegion.StartAsync();
        // 25 uploads of one binary and 25 of five others (five each), all at once.
        var uploads = Enumerable.Range(0, 50).Select(i => i < 25 ? Samples.ProgramElf : Samples.Variant(i % 5)).ToList();

        var responses = await Task.WhenAll(uploads.Select(async bytes =>
        {
            using var response = await region.Client.PostAsync("api/analyze", TestRegion.Binary(bytes));
            return (Status: response.StatusCode, Id: (string?)(await Json.ReadAsync(response))["analysis_id"], Expected: Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(responses, r => Assert.Equal(r.Expected, r.Id));
        var distinct = responses.Select(r => r.Id).Distinct().Count();
        Assert.Equal(6, distinct);
        var metrics = await region.Client.GetStringAsync("metrics");
        Assert.Equal(6, MetricsText.Sum(metrics, "ghidrainsight_analyses_performed_total"));
        var outbox = await region.Host.Services.GetRequiredService<IReplicationLog>().ReadOutboxAsync(0, 1000);
        Assert.Equal(6, outbox.Count(e => e.Kind == "analysis.stored"));
    }

    [Fact]
    public async Task StoredAnalyses_CanBeReadListedInStablePagesAndDeleted()
    {
        await using var region = await TestRegion.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var upload = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.Variant(100 + i)));
            ids.Add((string)(await Json.ReadAsync(upload))["analysis_id"]!);
        }
        ids.Sort(StringComparer.Ordinal);

        var page1 = await Json.ReadAsync(await region.Client.GetAsync("api/analyses?limit=2"));
        var page2 = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses?limit=2&after={page1["next"]}"));
        var page3 = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses?limit=2&after={page2["next"]}"));
        var listed = new[] { page1, page2, page3 }.SelectMany(p => p["items"]!.AsArray()).Select(i => (string)i!["analysis_id"]!).ToList();
        Assert.Equal(ids, listed);
        Assert.Null(page3["next"]);

        using var get = await region.Client.GetAsync($"api/analyses/{ids[0].ToUpperInvariant()}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var delete = await region.Client.DeleteAsync($"api/analyses/{ids[0]}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await Json.AssertProblemAsync(await region.Client.GetAsync($"api/analyses/{ids[0]}"), 404, "NOT_FOUND");
        await Json.AssertProblemAsync(await region.Client.DeleteAsync($"api/analyses/{ids[0]}"), 404, "NOT_FOUND");
    }

    [Fact]
    public async Task StoredAnalysis_IsServedGzipped_WhenTheClientAcceptsIt()
    {
        await using var region = await TestRegion.StartAsync();
        var id = (string)(await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;
        var plain = await region.Client.GetStringAsync($"api/analyses/{id}");

        using var gzipClient = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.GZip }) { BaseAddress = region.Host.Address };
        using var raw = await region.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/analyses/{id}") { Headers = { { "Accept-Encoding", "gzip" } } });

        Assert.Equal("gzip", Assert.Single(raw.Content.Headers.ContentEncoding));
        Assert.True(raw.Content.Headers.ContentLength < plain.Length / 2);
        Assert.Equal(plain, await gzipClient.GetStringAsync($"api/analyses/{id}"));
    }

    [Fact]
    public async Task Function_HasDisassemblyCallsAndCallers()
    {
        await using var region = await TestRegion.StartAsync();
        var analysis = await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf)));
        var id = (string)analysis["analysis_id"]!;
        var functions = analysis["functions"]!.AsArray();
        var checksum = (string)functions.First(f => (string?)f!["name"] == "checksum")!["address"]!;
        var remember = (string)functions.First(f => (string?)f!["name"] == "remember")!["address"]!;

        var detail = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses/{id}/functions/{checksum}"));

        Assert.Equal(checksum, (string?)detail["function"]!["address"]);
        Assert.NotEmpty(detail["instructions"]!.AsArray());
        Assert.Contains(detail["callers"]!.AsArray(), c => (string?)c == remember);
        Assert.True((bool)detail["disassembly_available"]!);
        await Json.AssertProblemAsync(await region.Client.GetAsync($"api/analyses/{id}/functions/0x1"), 404, "NOT_FOUND");
    }
}
