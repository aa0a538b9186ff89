using System.Net;
using System.Net.Http.Json;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>Every user mistake gets a clear problem with a stable code; none is a 500, none loses data.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task EmptyBody_Is400EmptyBody()
    {
        await using var region = await TestRegion.StartAsync();
        await Json.AssertProblemAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary([])), 400, "EMPTY_BODY");
    }

    [Fact]
    public async Task UploadAboveTheLimit_Is413FileTooLarge_RawAndMultipart()
    {
        await using var region = await TestRegion.StartAsync(o => o with { Server = o.Server with { MaxUploadBytes = 4096 } });
        await Json.AssertProblemAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(new byte[5000])), 413, "FILE_TOO_LARGE");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[5000]), "file", "big.bin" } };
        await Json.AssertProblemAsync(await region.Client.PostAsync("api/analyze", form), 413, "FILE_TOO_LARGE");
    }

    [Fact]
    public async Task WrongContentType_Is415_AndMultipartWithoutFile_Is400()
    {
        await using var region = await TestRegion.StartAsync();
        await Json.AssertProblemAsync(await region.Client.PostAsJsonAsync("api/analyze", new { file = "x" }), 415, "UNSUPPORTED_MEDIA_TYPE");
        using var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "upload", "x.bin" } };
        await Json.AssertProblemAsync(await region.Client.PostAsync("api/analyze", form), 400, "BAD_INPUT");
    }

    [Theory]
    [InlineData("random")]
    [InlineData("elf-truncated")]
    [InlineData("pe-header-only")]
    [InlineData("macho-header-only")]
    public async Task MalformedBinary_GetsItsPartialAnalysis_WithErrors(string kind)
    {
        await using var region = await TestRegion.StartAsync();
        var bytes = kind switch
        {
            "random" => RandomBytes(3000),
            "elf-truncated" => Samples.ProgramElf[..700],
            "pe-header-only" => [(byte)'M', (byte)'Z', .. new byte[58], 0x40, 0, 0, 0, (byte)'P', (byte)'E', 0, 0, 0x64, 0x86],
            _ => [0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0, 2, 0, 0, 0, 50, 0, 0, 0, 0xff, 0xff, 0, 0],
        };
        using var response = await region.Client.PostAsync("api/analyze", TestRegion.Binary(bytes));
        var body = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(body["errors"]!.AsArray());
    }

    [Theory]
    [InlineData("api/analyses/not-a-sha", 400, "BAD_INPUT")]
    [InlineData("api/analyses/0000000000000000000000000000000000000000000000000000000000000000", 404, "NOT_FOUND")]
    [InlineData("api/analyses?limit=0", 400, "BAD_INPUT")]
    [InlineData("api/analyses?limit=abc", 400, "BAD_INPUT")]
    [InlineData("api/analyses?after=xyz", 400, "BAD_INPUT")]
    [InlineData("api/no-such-thing", 404, "NOT_FOUND")]
    public async Task BadRequests_GetProblemDetails(string url, int status, string code)
    {
        await using var region = await TestRegion.StartAsync();
        await Json.AssertProblemAsync(await region.Client.GetAsync(url), status, code);
    }

    [Fact]
    public async Task BadFunctionAddress_Is400_AndUnknownAnalysis_Is404()
    {
        await using var region = await TestRegion.StartAsync();
        var id = (string)(await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;
        await Json.AssertProblemAsync(await region.Client.GetAsync($"api/analyses/{id}/functions/zzz"), 400, "BAD_INPUT");
        await Json.AssertProblemAsync(await region.Client.GetAsync($"api/analyses/{new string('a', 64)}/functions/0x10"), 404, "NOT_FOUND");
        await Json.AssertProblemAsync(await region.Client.PutAsJsonAsync($"api/analyses/{new string('a', 64)}/annotations/0x10", new { name = "x" }), 404, "NOT_FOUND");
        await Json.AssertProblemAsync(await region.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0xZZ", new { name = "x" }), 400, "BAD_INPUT");
    }

    [Fact]
    public async Task WrongMethod_IsAProblem_NotAnEmptyPage()
    {
        await using var region = await TestRegion.StartAsync();
        using var response = await region.Client.PatchAsync("api/analyze", new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(3).NextBytes(bytes);
        return bytes;
    }
}
