using System.Runtime.CompilerServices;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// The declaration of one key: its path, its parse rule, and how to get and set it on the section record. The default is
/// the record's own; <see cref="DerivedDefault"/> replaces it when the default depends on other keys.
/// </summary>
/// <typeparam name="TSection">The section record.</typeparam>
/// <typeparam name="TValue">The property's type.</typeparam>
internal sealed class Setting<TSection, TValue>(
    string key,
    SettingRule<TValue> rule,
    Func<TSection, TValue> get,
    Func<TSection, TValue, TSection> set,
    [CallerArgumentExpression(nameof(get))] string getExpression = "")
    : Setting<TSection>(key, rule.Allowed, rule.Shape, rule.ShapeAllowed, rule.EntryAllowed)
    where TSection : class, new()
{
    private static readonly TSection Defaults = new();

    /// <summary>The value when the key is absent or bad, computed from the keys bound before it; else the record's default.</summary>
    public Func<TSection, TValue>? DerivedDefault { get; init; }

    /// <summary>Whether <see cref="ConfigWriter"/> leaves the key out when it holds <see cref="DerivedDefault"/>, so the file keeps following the keys it derives from.</summary>
    public bool OmitWhenDerived { get; init; }

    /// <summary>The property name, for <c>ToString()</c>.</summary>
    public string Property { get; } = getExpression[(getExpression.LastIndexOf('.') + 1)..];

    public TValue Get(TSection section) => get(section);

    public override TSection Bind(TSection section, BindingContext context)
    {
        var raw = context.Read(this);
        if (raw is null)
        {
            return Derive(section);
        }

        switch (rule.Parse(this, raw, context, out var value))
        {
            case ParseOutcome.Parsed:
                context.Origins.Record(this, raw);
                return set(section, value);
            case ParseOutcome.Failed:
                context.Origins.Record(this, raw);
                context.Origins.MarkFailed(this);
                return Derive(section);
            default:
                return Derive(section);
        }
    }

    public override bool Differs(TSection left, TSection right) => !EqualityComparer<TValue>.Default.Equals(get(left), get(right));

    public override TSection CopyValue(TSection target, TSection source) => set(target, get(source));

    public override bool IsDefault(TSection section) => EqualityComparer<TValue>.Default.Equals(get(section), get(Defaults));

    public override object? Value(TSection section) => get(section);

    public override YamlNode? Write(TSection section)
    {
        var value = get(section);
        if (!IsWritten || (OmitWhenDerived && DerivedDefault is { } derived && EqualityComparer<TValue>.Default.Equals(value, derived(section))))
        {
            return null;
        }

        return rule.Write(value);
    }

    public override string? Check(TSection section) => rule.Check(get(section));

    public override RawSetting Describe(TSection section) => rule.Describe(this, get(section));

    public override void Print(TSection section, StringBuilder builder)
    {
        var value = get(section);
        builder.Append(Property).Append(" = ").Append(IsSecret && value is not null ? "***" : value?.ToString());
    }

    private TSection Derive(TSection section) => DerivedDefault is { } derived ? set(section, derived(section)) : section;
}
