using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// One of a few words, exactly as written (<c>async</c>, not <c>ASYNC</c>). A word in <paramref name="refused"/> is known
/// but not offered, and gets its own reason.
/// </summary>
/// <typeparam name="T">The value each word stands for.</typeparam>
internal sealed class ChoiceRule<T>(IReadOnlyList<(string Word, T Value)> choices, string allowed, IReadOnlyDictionary<string, string>? refused = null)
    : SettingRule<T>
{
    public override string Allowed => allowed;

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out T value)
    {
        foreach (var (word, choice) in choices)
        {
            if (string.Equals(word, raw.Value.Text, StringComparison.Ordinal))
            {
                value = choice;
                return ParseOutcome.Parsed;
            }
        }

        value = default!;
        context.Report(setting, ConfigErrors.Invalid(setting.Key, raw.Value, Reason(raw.Value.Text)));
        return ParseOutcome.Failed;
    }

    public override YamlNode Write(T value) => new YamlScalarNode(Format(value));

    public override string Format(T value) =>
        choices.FirstOrDefault(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Word ?? value?.ToString() ?? "";

    public override string? Check(T value) =>
        choices.Any(c => EqualityComparer<T>.Default.Equals(c.Value, value)) ? null : Reason(Format(value));

    private string Reason(string word) => refused?.GetValueOrDefault(word) ?? allowed;
}
