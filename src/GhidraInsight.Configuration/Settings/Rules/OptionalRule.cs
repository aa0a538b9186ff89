using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>A value that may be absent (<see langword="null"/>, left out of the written file); when present, <paramref name="rule"/> applies.</summary>
/// <typeparam name="T">The present value's type.</typeparam>
internal sealed class OptionalRule<T>(SettingRule<T> rule) : SettingRule<T?>
    where T : class
{
    public override string Allowed => rule.Allowed;

    public override SettingShape Shape => rule.Shape;

    public override string? ShapeAllowed => rule.ShapeAllowed;

    public override string? EntryAllowed => rule.EntryAllowed;

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out T? value)
    {
        var outcome = rule.Parse(setting, raw, context, out var parsed);
        value = outcome == ParseOutcome.Parsed ? parsed : null;
        return outcome;
    }

    public override YamlNode? Write(T? value) => value is null ? null : rule.Write(value);

    public override string Format(T? value) => value is null ? "" : rule.Format(value);

    public override string? Check(T? value) => value is null ? null : rule.Check(value);
}
