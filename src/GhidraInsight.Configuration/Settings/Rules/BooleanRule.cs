using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary><c>true</c>/<c>1</c> or <c>false</c>/<c>0</c>, any case.</summary>
internal sealed class BooleanRule : SettingRule<bool>
{
    public static BooleanRule Instance { get; } = new();

    public override string Allowed => "must be true or false";

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out bool value)
    {
        switch (raw.Value.Text.ToLowerInvariant())
        {
            case "true" or "1":
                value = true;
                return ParseOutcome.Parsed;
            case "false" or "0":
                value = false;
                return ParseOutcome.Parsed;
            default:
                value = false;
                context.Report(setting, ConfigErrors.Invalid(setting.Key, raw.Value, Allowed));
                return ParseOutcome.Failed;
        }
    }

    public override YamlNode Write(bool value) => new YamlScalarNode(Format(value));

    public override string Format(bool value) => value ? "true" : "false";
}
