using GhidraInsight.Http.Bodies;
using GhidraInsight.Http.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// Reads an upload — the raw body (<c>application/octet-stream</c>) or the multipart field <c>file</c> — within the size limit,
/// with the multipart file's name as sent (raw, for <see cref="UploadName"/> to clean; null for a raw body).
/// </summary>
internal static class UploadReader
{
    public static async Task<(byte[]? Bytes, string? FileName, IResult? Error)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes && !request.HasFormContentType)
        {
            return (null, null, TooLarge(request.ContentLength.Value, maxBytes));
        }
        try
        {
            if (request.HasFormContentType)
            {
                return await ReadMultipartAsync(request, maxBytes, cancellationToken);
            }
            var mediaType = request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed.MediaType.Value : null;
            if (request.ContentType is not null && !string.Equals(mediaType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                return (null, null, Problem.Result(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                    "Send the binary as application/octet-stream or as multipart/form-data field 'file'.", $"Content-Type was '{request.ContentType}'."));
            }
            var bytes = await BoundedBody.ReadAsync(request.Body, maxBytes, cancellationToken);
            return bytes is null ? (null, null, TooLarge(null, maxBytes)) : bytes.Length == 0 ? (null, null, Empty()) : (bytes, null, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, null, TooLarge(null, maxBytes));
        }
        catch (InvalidDataException ex)
        {
            // Malformed multipart bodies and form limits surface as InvalidDataException.
            return (null, null, ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? TooLarge(null, maxBytes)
                : Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The multipart body could not be read.", ex.Message));
        }
    }

    private static async Task<(byte[]? Bytes, string? FileName, IResult? Error)> ReadMultipartAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return (null, null, Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "A multipart upload needs a field named 'file'.",
                form.Files.Count == 0 ? "The form has no files." : $"The form's files are named: {string.Join(", ", form.Files.Select(f => f.Name))}."));
        }
        if (file.Length > maxBytes)
        {
            return (null, null, TooLarge(file.Length, maxBytes));
        }
        if (file.Length == 0)
        {
            return (null, null, Empty());
        }
        await using var stream = file.OpenReadStream();
        var bytes = await BoundedBody.ReadAsync(stream, maxBytes, cancellationToken);
        return bytes is null ? (null, null, TooLarge(null, maxBytes)) : (bytes, file.FileName, null);
    }

    private static IResult TooLarge(long? size, long maxBytes) => Problem.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge,
        "The upload is larger than this server accepts.", size is { } s ? $"{s} bytes sent; the limit is {maxBytes} bytes." : $"The limit is {maxBytes} bytes.");

    private static IResult Empty() => Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.EmptyBody, "The upload is empty.", "Send the binary's bytes.");
}
