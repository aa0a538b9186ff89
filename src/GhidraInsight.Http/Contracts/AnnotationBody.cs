using System.Globalization;
using System.Text.Json.Serialization;
using GhidraInsight.Storage;

namespace GhidraInsight.Http.Contracts;

/// <summary>An annotation on the wire (read, written, or kept in a conflict record).</summary>
/// <param name="Address">Hex, like <c>0x401126</c>.</param>
/// <param name="Name">The user's name for the address.</param>
/// <param name="Comment">The user's comment.</param>
/// <param name="Tags">The user's tags.</param>
/// <param name="Version">Writes of this key so far; send it back as <c>If-Match: "N"</c>.</param>
/// <param name="Epoch">The primary epoch that accepted this write.</param>
/// <param name="BaseVersion">The version the current epoch's writes continued from.</param>
/// <param name="Lineage">The epochs this value's history passed through: <c>[epoch, version the epoch's writes started after]</c>, oldest first.</param>
/// <param name="UpdatedAt">When this write was made.</param>
/// <param name="Region">The region that accepted the write (on write answers only).</param>
public sealed record AnnotationBody(
    string Address,
    string? Name,
    string? Comment,
    IReadOnlyList<string> Tags,
    long Version,
    long Epoch,
    long BaseVersion,
    IReadOnlyList<long[]> Lineage,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Region = null)
{
    /// <summary>The wire form of a stored annotation.</summary>
    public static AnnotationBody From(Annotation annotation, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        return new AnnotationBody(
            HexAddress(annotation.Address),
            annotation.Name,
            annotation.Comment,
            annotation.Tags,
            annotation.Version,
            annotation.Epoch,
            annotation.BaseVersion,
            [.. annotation.Lineage.Select(segment => new[] { segment.Epoch, segment.StartsAfterVersion })],
            annotation.UpdatedAt,
            region);
    }

    /// <summary>An address as the API writes it: <c>0x</c> and lowercase hex.</summary>
    public static string HexAddress(ulong address) => "0x" + address.ToString("x", CultureInfo.InvariantCulture);
}
