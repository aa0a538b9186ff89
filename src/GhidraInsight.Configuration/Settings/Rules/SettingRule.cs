using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>How the text of one kind of value is parsed, checked and written: integers with bounds, hosts, region lists, …</summary>
/// <typeparam name="T">The parsed value's type.</typeparam>
internal abstract class SettingRule<T>
{
    /// <summary>What a value may be, as said in error messages.</summary>
    public abstract string Allowed { get; }

    /// <summary>How the value is written in the sources.</summary>
    public virtual SettingShape Shape => SettingShape.Scalar;

    /// <summary>Said when a YAML value has the wrong shape for a list or mapping.</summary>
    public virtual string? ShapeAllowed => null;

    /// <summary>Said when an environment or flag entry of a mapping is not <c>name=value</c>.</summary>
    public virtual string? EntryAllowed => null;

    /// <summary>Parses the value as read; every problem is reported through <paramref name="context"/>.</summary>
    public abstract ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out T value);

    /// <summary>The YAML node for the value, or <see langword="null"/> to leave the key out.</summary>
    public abstract YamlNode? Write(T value);

    /// <summary>The value as it would be written in an environment variable.</summary>
    public abstract string Format(T value);

    /// <summary>What is allowed, when <paramref name="value"/> (set in code) breaks the rule; else <see langword="null"/>.</summary>
    public virtual string? Check(T value) => null;

    /// <summary>The value as if it had been given as an override, for messages about values set in code.</summary>
    public virtual RawSetting Describe(ConfigName setting, T value) => new(new RawValue(Format(value), setting.EnvironmentVariable, ""));

    /// <summary>A double-quoted string, so a value like "true" or "0123" stays a string to any YAML reader.</summary>
    protected static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };
}
