using System.Net;
using System.Net.Http.Json;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

public sealed class AnnotationTests
{
    [Fact]
    public async Task Annotations_AreVersioned_WithETagsAndIfMatch()
    {
        await using var region = await TestRegion.StartAsync();
        var analysis = await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf)));
        var id = (string)analysis["analysis_id"]!;
        var mix = (string)analysis["functions"]!.AsArray().First(f => (string?)f!["name"] == "mix")!["address"]!;
        var url = $"api/analyses/{id}/annotations/{mix}";

        using var created = await region.Client.PutAsJsonAsync(url, new { name = "rotate_xor", comment = "mixes one byte in", tags = new[] { "hash" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.ToString());

        using var read = await region.Client.GetAsync(url);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        Assert.Equal("rotate_xor", (string?)(await Json.ReadAsync(read))["name"]);

        using var update = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { name = "mix_round" }) };
        update.Headers.IfMatch.ParseAdd("\"1\"");
        using var updated = await region.Client.SendAsync(update);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"2\"", updated.Headers.ETag?.ToString());

        using var stale = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { name = "lost_update" }) };
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        var conflict = await Json.AssertProblemAsync(await region.Client.SendAsync(stale), 409, "VERSION_CONFLICT");
        Assert.Contains("2", (string?)conflict["detail"], StringComparison.Ordinal);

        using var createOnly = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { name = "again" }) };
        createOnly.Headers.IfNoneMatch.ParseAdd("*");
        await Json.AssertProblemAsync(await region.Client.SendAsync(createOnly), 412, "PRECONDITION_FAILED");

        // The annotated name shows up in the function's result, with the name the binary gave it.
        var function = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses/{id}/functions/{mix}"));
        Assert.Equal("mix_round", (string?)function["function"]!["name"]);
        Assert.Equal("mix", (string?)function["function"]!["original_name"]);

        using var list = await region.Client.GetAsync($"api/analyses/{id}/annotations");
        Assert.NotNull(list.Headers.ETag);
        var listed = Assert.Single((await Json.ReadAsync(list))["annotations"]!.AsArray());
        Assert.Equal(2, (int?)listed!["version"]);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"name\":5}")]
    [InlineData("{\"nmae\":\"typo\"}")]
    [InlineData("{\"tags\":[\"\"]}")]
    [InlineData("not json")]
    public async Task AnnotationBody_ThatIsNotValid_Is400_AndChangesNothing(string body)
    {
        await using var region = await TestRegion.StartAsync();
        var analysis = await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf)));
        var id = (string)analysis["analysis_id"]!;

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await Json.AssertProblemAsync(await region.Client.PutAsync($"api/analyses/{id}/annotations/0x1000", content), 400, "BAD_INPUT");

        var list = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses/{id}/annotations"));
        Assert.Empty(list["annotations"]!.AsArray());
    }
}
