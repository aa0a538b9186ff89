using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>A text that <paramref name="isValid"/> accepts, kept as written: a host, a region name.</summary>
internal sealed class TextRule(Func<string, bool> isValid, string allowed) : SettingRule<string>
{
    public static TextRule Host { get; } = new(ValueRules.IsValidHost, ValueRules.HostAllowed);

    public static TextRule RegionName { get; } = new(ValueRules.IsRegionName, ValueRules.RegionAllowed);

    public override string Allowed => allowed;

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out string value)
    {
        value = raw.Value.Text;
        if (isValid(value))
        {
            return ParseOutcome.Parsed;
        }

        context.Report(setting, ConfigErrors.Invalid(setting.Key, raw.Value, allowed));
        return ParseOutcome.Failed;
    }

    public override YamlNode Write(string value) => Quoted(value);

    public override string Format(string value) => value;

    public override string? Check(string value) => isValid(value) ? null : allowed;
}
