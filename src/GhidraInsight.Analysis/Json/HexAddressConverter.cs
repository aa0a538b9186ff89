using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GhidraInsight.Analysis.Json;

/// <summary>Writes addresses as <c>"0x401234"</c> and reads them back; handles <see cref="ulong"/> and <see cref="Nullable{UInt64}"/>.</summary>
public sealed class HexAddressConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(ulong) || typeToConvert == typeof(ulong?);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(ulong) ? new Plain() : new Nullable();

    /// <summary>Formats an address the way every API response does.</summary>
    public static string Format(ulong address) => "0x" + address.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>0x401234</c>, <c>401234</c> (hex) or a JSON number.</summary>
    public static bool TryParse(string? text, out ulong address)
    {
        address = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var span = text.AsSpan().Trim();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }
        return span.Length is > 0 and <= 16 && ulong.TryParse(span, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address);
    }

    internal static ulong Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetUInt64();
        }
        return TryParse(reader.GetString(), out var value) ? value : throw new JsonException("address must be a hex string like \"0x401234\"");
    }

    private sealed class Plain : JsonConverter<ulong>
    {
        public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => HexAddressConverter.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));
    }

    private sealed class Nullable : JsonConverter<ulong?>
    {
        public override bool HandleNull => true;

        public override ulong? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : HexAddressConverter.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, ulong? value, JsonSerializerOptions options)
        {
            if (value is { } v)
            {
                writer.WriteStringValue(Format(v));
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
