using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;

namespace GhidraInsight.Cli.Remote;

/// <summary>
/// The CLI's calls to a region's API (<c>--url</c>, else <c>GHIDRA_URL</c>; <c>--api-key</c>, else <c>GHIDRA_API_KEY</c>): typed
/// answers from the shared contracts, a problem document when the region refused, or one line saying why it could not be reached.
/// </summary>
internal sealed class RegionApi(Uri baseUrl, string? apiKey, TimeSpan timeout) : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:3101";

    private readonly HttpClient _http = new() { Timeout = timeout };

    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The region's URL from the flag, <c>GHIDRA_URL</c> or the default; null (after printing why) when it is not an http(s) URL.</summary>
    public static async Task<Uri?> ParseUrlAsync(string? flag)
    {
        var text = flag ?? Environment.GetEnvironmentVariable("GHIDRA_URL") ?? DefaultUrl;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        await Console.Error.WriteLineAsync($"ghidrainsight: --url expects a URL like {DefaultUrl}, not '{text}'");
        return null;
    }

    /// <summary>The key from the flag, else <c>GHIDRA_API_KEY</c>.</summary>
    public static string? ApiKey(string? flag) => flag ?? Environment.GetEnvironmentVariable("GHIDRA_API_KEY");

    public Task<RegionAnswer<T>> GetAsync<T>(string path, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, path)), answer, cancellationToken);

    public Task<RegionAnswer<T>> PostAsync<TBody, T>(string path, TBody body, JsonTypeInfo<TBody> request, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, path)) { Content = JsonContent.Create(body, request) }, answer, cancellationToken);

    /// <summary>A POST without a body.</summary>
    public Task<RegionAnswer<T>> PostAsync<T>(string path, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, path)), answer, cancellationToken);

    private async Task<RegionAnswer<T>> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> answer, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (!string.IsNullOrEmpty(apiKey))
            {
                request.Headers.Add("X-API-Key", apiKey);
            }

            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                return response.IsSuccessStatusCode
                    ? new RegionAnswer<T>(JsonSerializer.Deserialize(body, answer), null, null)
                    : new RegionAnswer<T>(default, Problem.TryParse(body), $"{BaseUrl} answered {(int)response.StatusCode}: {Shorten(System.Text.Encoding.UTF8.GetString(body))}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return new RegionAnswer<T>(default, null, $"cannot reach {BaseUrl}: {ex.Message}", Reached: false);
            }
            catch (JsonException ex)
            {
                return new RegionAnswer<T>(default, null, $"{BaseUrl} answered something that is not the expected JSON: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> with the API key and hands back the response as it is (the caller disposes it), for calls
    /// whose answers need more than a typed body; <paramref name="timeout"/> bounds this one call.
    /// </summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return await _http.SendAsync(request, deadline.Token);
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    public void Dispose() => _http.Dispose();
}
