using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// Region names, from a YAML list or comma-separated text, each checked. A repeated name is kept once here; whether that
/// is an error depends on <c>region.enabled</c>, so <see cref="RegionOptionsValidator"/> judges it.
/// </summary>
internal sealed class RegionListRule : SettingRule<IReadOnlyList<string>>
{
    public static RegionListRule Instance { get; } = new();

    public override string Allowed => ValueRules.RegionAllowed;

    public override SettingShape Shape => SettingShape.List;

    public override string ShapeAllowed => "must be a list of region names, e.g. [\"us-east-1\", \"eu-west-1\"]";

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out IReadOnlyList<string> value)
    {
        var names = new List<string>();
        var bad = false;
        for (var i = 0; i < raw.Items.Count; i++)
        {
            var item = raw.Items[i];
            if (!ValueRules.IsRegionName(item.Text))
            {
                context.Report(setting, ConfigErrors.Invalid($"{setting.Key}[{i}]", item, ValueRules.RegionAllowed));
                bad = true;
            }
            else if (!names.Contains(item.Text))
            {
                names.Add(item.Text);
            }
        }

        value = ValueList<string>.From(names);
        return bad ? ParseOutcome.Failed : ParseOutcome.Parsed;
    }

    public override YamlNode Write(IReadOnlyList<string> value)
    {
        var list = new YamlSequenceNode { Style = SequenceStyle.Flow };
        foreach (var name in value)
        {
            list.Add(Quoted(name));
        }

        return list;
    }

    public override string Format(IReadOnlyList<string> value) => string.Join(",", value);

    public override string? Check(IReadOnlyList<string> value) => value.All(ValueRules.IsRegionName) ? null : ValueRules.RegionAllowed;

    public override RawSetting Describe(ConfigName setting, IReadOnlyList<string> value) =>
        new(new RawValue(Format(value), setting.EnvironmentVariable, ""))
        {
            Items = [.. value.Select(name => new RawValue(name, setting.EnvironmentVariable, ""))],
        };
}
