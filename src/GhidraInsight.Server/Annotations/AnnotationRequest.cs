using System.Text.Json;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Annotations;

/// <summary>Parses and checks the body of <c>PUT …/annotations/{address}</c>: <c>{"name","comment","tags"}</c>, all optional.</summary>
internal static class AnnotationRequest
{
    public const int MaxName = 256;
    public const int MaxComment = 8192;
    public const int MaxTags = 32;
    public const int MaxTag = 64;

    /// <summary>The largest body read: room for the largest valid annotation, escaped, several times over.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static (AnnotationInput? Input, string? Error) Parse(string body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, $"the body is not JSON: {ex.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "the body must be a JSON object like {\"name\":\"parse_header\",\"comment\":\"…\",\"tags\":[\"crypto\"]}");
        }
        string? name = null, comment = null;
        var tags = new List<string>();
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name" when property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    name = property.Value.GetString();
                    break;
                case "comment" when property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    comment = property.Value.GetString();
                    break;
                case "tags" when property.Value.ValueKind == JsonValueKind.Array:
                    foreach (var tag in property.Value.EnumerateArray())
                    {
                        if (tag.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(tag.GetString()))
                        {
                            return (null, "tags must be non-empty strings");
                        }
                        tags.Add(tag.GetString()!);
                    }
                    break;
                case "name" or "comment" or "tags":
                    return (null, $"'{property.Name}' has the wrong type ({property.Value.ValueKind})");
                default:
                    return (null, $"unknown field '{property.Name}'; allowed: name, comment, tags");
            }
        }
        if (name?.Length > MaxName || comment?.Length > MaxComment || tags.Count > MaxTags || tags.Any(t => t.Length > MaxTag))
        {
            return (null, $"limits: name {MaxName} characters, comment {MaxComment}, at most {MaxTags} tags of {MaxTag}");
        }
        return (new AnnotationInput(name, comment, tags), null);
    }
}
