using System.Net.Http.Json;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary><c>GET /api/analyses/{id}/annotations</c> pages with <c>limit</c> and <c>after</c> like every other list.</summary>
public sealed class AnnotationPagingTests
{
    [Fact]
    public async Task Annotations_PageInAddressOrder_WithNextAsTheAfterOfTheFollowingPage()
    {
        await using var region = await TestRegion.StartAsync();
        var analysis = await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf)));
        var id = (string)analysis["analysis_id"]!;
        ulong[] addresses = [0x30, 0x10, 0xffffffffffff0000, 0x20, 0x8000000000000000];
        foreach (var address in addresses)
        {
            using var put = await region.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x{address:x}", new { name = $"f{address:x}" });
            put.EnsureSuccessStatusCode();
        }

        var seen = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await region.Client.GetFromJsonAsync($"api/analyses/{id}/annotations?limit=2{(after is null ? "" : $"&after={after}")}",
                ContractsJsonContext.Default.AnnotationList);
            seen.AddRange(page!.Annotations.Select(a => a.Address));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(["0x10", "0x20", "0x30", "0x8000000000000000", "0xffffffffffff0000"], seen);
        Assert.Equal(3, pages);
        var all = await region.Client.GetFromJsonAsync($"api/analyses/{id}/annotations", ContractsJsonContext.Default.AnnotationList);
        Assert.Equal(5, all!.Annotations.Count);
        Assert.Null(all.Next);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("after=banana")]
    public async Task BadPagingParameters_Are400BadInput(string query)
    {
        await using var region = await TestRegion.StartAsync();
        var analysis = await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf)));

        await Json.AssertProblemAsync(await region.Client.GetAsync($"api/analyses/{(string)analysis["analysis_id"]!}/annotations?{query}"), 400, "BAD_INPUT");
    }
}
