using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>A path, made absolute: a relative one is taken from the config file's folder, or from the current one for environment and flags.</summary>
internal sealed class PathRule(string allowed) : SettingRule<string>
{
    public override string Allowed => allowed;

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out string value)
    {
        value = "";
        try
        {
            if (raw.Value.Text.Trim().Length > 0)
            {
                value = Path.GetFullPath(raw.Value.Text, raw.Value.BaseDirectory ?? Directory.GetCurrentDirectory());
                return ParseOutcome.Parsed;
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // Reported below.
        }

        context.Report(setting, ConfigErrors.Invalid(setting.Key, raw.Value, allowed));
        return ParseOutcome.Failed;
    }

    public override YamlNode Write(string value) => Quoted(value);

    public override string Format(string value) => value;

    public override string? Check(string value) => value.Trim().Length > 0 ? null : allowed;
}
