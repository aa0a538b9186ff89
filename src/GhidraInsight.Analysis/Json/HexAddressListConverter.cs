using System.Text.Json;
using System.Text.Json.Serialization;

namespace GhidraInsight.Analysis.Json;

/// <summary>Writes a list of addresses as hex strings.</summary>
public sealed class HexAddressListConverter : JsonConverter<IReadOnlyList<ulong>>
{
    public override IReadOnlyList<ulong> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of addresses");
        }
        var list = new List<ulong>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(HexAddressConverter.Read(ref reader));
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<ulong> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var address in value)
        {
            writer.WriteStringValue(HexAddressConverter.Format(address));
        }
        writer.WriteEndArray();
    }
}
