using System.Text.Json.Nodes;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Annotations;

/// <summary>The JSON shape of an annotation.</summary>
internal static class AnnotationJson
{
    public static JsonObject ToNode(Annotation annotation) => new()
    {
        ["address"] = HexAddressConverter.Format(annotation.Address),
        ["name"] = annotation.Name,
        ["comment"] = annotation.Comment,
        ["tags"] = new JsonArray([.. annotation.Tags.Select(t => (JsonNode?)JsonValue.Create(t))]),
        ["version"] = annotation.Version,
        ["epoch"] = annotation.Epoch,
        // Lineage: lets a client tell a write superseded by a newer epoch from one lost to it.
        ["base_version"] = annotation.BaseVersion,
        // The epochs this value's history passed through: [epoch, version the epoch's writes started after], oldest first.
        ["lineage"] = new JsonArray([.. annotation.Lineage.Select(segment => (JsonNode?)new JsonArray(segment.Epoch, segment.StartsAfterVersion))]),
        ["updated_at"] = annotation.UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An annotation's ETag is its version, quoted.</summary>
    public static string ETag(long version) => $"\"{version}\"";
}
