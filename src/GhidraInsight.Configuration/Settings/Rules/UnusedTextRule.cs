using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// A key kept so configs that carry it still load, accepted only empty: it has no property and nothing reads it. Its value
/// (a connection string may hold a password) is never echoed.
/// </summary>
internal sealed class UnusedTextRule(string refused) : SettingRule<string>
{
    public override string Allowed => "must be empty";

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out string value)
    {
        value = "";
        if (raw.Value.Text.Trim().Length == 0)
        {
            return ParseOutcome.Parsed;
        }

        context.Report(setting, ConfigErrors.InvalidSecret(setting.Key, raw.Value, refused));
        return ParseOutcome.Failed;
    }

    public override YamlNode? Write(string value) => null;

    public override string Format(string value) => value.Length == 0 ? "" : "***";
}
