using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>Region name → base URL, from a YAML mapping or <c>region=url,region=url</c>. A bad entry is reported and left out; the good ones stay.</summary>
internal sealed class EndpointMapRule : SettingRule<IReadOnlyDictionary<string, Uri>>
{
    public const string RegionKeyAllowed = "each endpoint's region " + ValueRules.RegionAllowed;

    public static EndpointMapRule Instance { get; } = new();

    public override string Allowed => ValueRules.UrlAllowed;

    public override SettingShape Shape => SettingShape.Map;

    public override string ShapeAllowed => "must be a mapping of region name to URL, e.g. us-east-1: http://127.0.0.1:3101";

    public override string EntryAllowed =>
        "must be region=URL entries separated by commas, e.g. us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102";

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out IReadOnlyDictionary<string, Uri> value)
    {
        var urls = new List<KeyValuePair<string, Uri>>();
        foreach (var (regionRaw, urlRaw) in raw.Pairs)
        {
            var region = regionRaw.Text;
            if (!ValueRules.IsRegionName(region))
            {
                context.Report(setting, ConfigErrors.Invalid(setting.Key, regionRaw, RegionKeyAllowed));
            }
            else if (!ValueRules.TryParseUrl(urlRaw.Text, out var url))
            {
                context.Report(setting, ConfigErrors.Invalid($"{setting.Key}.{region}", urlRaw, ValueRules.UrlAllowed));
            }
            else
            {
                urls.Add(new(region, url));
            }
        }

        value = ValueMap<string, Uri>.From(urls);
        return ParseOutcome.Parsed;
    }

    public override YamlNode Write(IReadOnlyDictionary<string, Uri> value)
    {
        var mapping = new YamlMappingNode();
        foreach (var (region, url) in value)
        {
            mapping.Add(region, Quoted(url.OriginalString));
        }

        if (mapping.Children.Count == 0)
        {
            mapping.Style = MappingStyle.Flow;
        }

        return mapping;
    }

    public override string Format(IReadOnlyDictionary<string, Uri> value) => string.Join(",", value.Select(e => $"{e.Key}={e.Value.OriginalString}"));

    public override string? Check(IReadOnlyDictionary<string, Uri> value) =>
        !value.Keys.All(ValueRules.IsRegionName) ? RegionKeyAllowed
        : !value.Values.All(url => ValueRules.TryParseUrl(url.OriginalString, out _)) ? ValueRules.UrlAllowed
        : null;

    public override RawSetting Describe(ConfigName setting, IReadOnlyDictionary<string, Uri> value) =>
        new(new RawValue(Format(value), setting.EnvironmentVariable, ""))
        {
            Pairs = [.. value.Select(e => new KeyValuePair<RawValue, RawValue>(
                new RawValue(e.Key, setting.EnvironmentVariable, ""), new RawValue(e.Value.OriginalString, setting.EnvironmentVariable, "")))],
        };
}
