using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>A secret, trimmed; blank counts as unset. Never written, never shown (its sources refuse it outside the environment).</summary>
internal sealed class SecretRule(string? allowed = null) : SettingRule<string?>
{
    public override string Allowed => allowed ?? $"must be at least {RegionSettings.MinSecretLength} characters";

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out string? value)
    {
        value = raw.Value.Text.Trim();
        return value.Length > 0 ? ParseOutcome.Parsed : ParseOutcome.Absent;
    }

    public override YamlNode? Write(string? value) => null;

    public override string Format(string? value) => "***";
}
