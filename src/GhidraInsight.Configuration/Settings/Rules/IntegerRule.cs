using System.Globalization;
using System.Numerics;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, written without sign, spaces or fraction.</summary>
/// <typeparam name="T"><see cref="int"/> or <see cref="long"/>.</typeparam>
internal sealed class IntegerRule<T>(T min, T max) : SettingRule<T>
    where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    public IntegerRule(T min)
        : this(min, T.MaxValue)
    {
    }

    public override string Allowed { get; } = max == T.MaxValue
        ? string.Create(CultureInfo.InvariantCulture, $"must be an integer of at least {min}")
        : string.Create(CultureInfo.InvariantCulture, $"must be an integer from {min} to {max}");

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out T value)
    {
        if (long.TryParse(raw.Value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && number >= long.CreateChecked(min) && number <= long.CreateChecked(max))
        {
            value = T.CreateChecked(number);
            return ParseOutcome.Parsed;
        }

        value = default;
        context.Report(setting, ConfigErrors.Invalid(setting.Key, raw.Value, Allowed));
        return ParseOutcome.Failed;
    }

    public override YamlNode Write(T value) => new YamlScalarNode(Format(value));

    public override string Format(T value) => value.ToString(null, CultureInfo.InvariantCulture);

    public override string? Check(T value) => value < min || value > max ? Allowed : null;
}
