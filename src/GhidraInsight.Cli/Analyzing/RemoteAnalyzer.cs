using System.Net.Http.Headers;
using System.Text.Json;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Cli.Analyzing;

/// <summary>Uploads files to a GhidraInsight server (<c>analyze --server URL</c>), named by their file names, and reads its answers.</summary>
internal sealed class RemoteAnalyzer(Uri server, string? apiKey) : IFileAnalyzer, IDisposable
{
    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true };

    private readonly HttpClient _http = Create(server, apiKey);

    public async Task<FileAnalysis> AnalyzeAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileAnalysis(path, null, null, $"cannot read {path}: {ex.Message}");
        }
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // The file's name only: where it lies on this machine is nobody's business but ours.
        var uri = $"api/analyze?name={Uri.EscapeDataString(Path.GetFileName(path))}";
        var (json, error) = await SendAsync(() => _http.PostAsync(uri, content, cancellationToken), cancellationToken);
        if (json is null)
        {
            return new FileAnalysis(path, null, null, $"{path}: {error}");
        }
        var result = AnalysisJson.Deserialize(json);
        return new FileAnalysis(path, result, System.Text.Encoding.UTF8.GetBytes(Indent(json)), null);
    }

    public async Task<FunctionLookup> DescribeFunctionAsync(FileAnalysis analysis, ulong address, CancellationToken cancellationToken)
    {
        var uri = $"api/analyses/{analysis.Result!.AnalysisId}/functions/{HexAddressConverter.Format(address)}";
        var (json, error) = await SendAsync(() => _http.GetAsync(uri, cancellationToken), cancellationToken);
        if (json is null)
        {
            return new FunctionLookup(null, null, $"{analysis.Path}: {error}");
        }
        return new FunctionLookup(JsonSerializer.Deserialize<FunctionDetail>(json, AnalysisJson.Options), Indent(json), null);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The body of a 2xx answer, or one line saying what the server or the network said.</summary>
    private async Task<(string? Json, string? Error)> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (body, null);
            }
            return (null, $"server answered {(int)response.StatusCode} {Describe(body)}");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"cannot reach {server}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{server} did not answer in time");
        }
    }

    private static string Describe(string problemJson)
    {
        try
        {
            var problem = JsonSerializer.Deserialize(problemJson, ContractsJsonContext.Default.ProblemDocument);
            return $"{problem?.Code}: {problem?.Title} {problem?.Detail}".Trim();
        }
        catch (JsonException)
        {
            return problemJson.Length > 200 ? problemJson[..200] : problemJson;
        }
    }

    /// <summary>The analysis document as the region sent it, indented: the CLI prints it, it does not interpret it.</summary>
    private static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, IndentedOptions);
    }

    private static HttpClient Create(Uri server, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/"), Timeout = TimeSpan.FromMinutes(10) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }
        return http;
    }
}
