using System.Text;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// A key of section <typeparamref name="TSection"/>, with the operations the binder, the writer, the validators and the
/// reload derive from the declaration, so none of them lists keys of its own.
/// </summary>
/// <typeparam name="TSection">The section record, e.g. <see cref="ServerOptions"/>.</typeparam>
internal abstract class Setting<TSection> : ConfigName
    where TSection : class, new()
{
    private protected Setting(string key, string allowed, SettingShape shape, string? shapeAllowed, string? entryAllowed)
        : base(key, allowed, shape, shapeAllowed, entryAllowed)
    {
    }

    /// <summary>Reads the key from the sources and sets it on <paramref name="section"/>; a bad value is reported and the default stays.</summary>
    public abstract TSection Bind(TSection section, BindingContext context);

    /// <summary>Whether the two sections hold different values for this key.</summary>
    public abstract bool Differs(TSection left, TSection right);

    /// <summary><paramref name="target"/> with this key's value taken from <paramref name="source"/>.</summary>
    public abstract TSection CopyValue(TSection target, TSection source);

    /// <summary>Whether the section holds the record's default for this key.</summary>
    public abstract bool IsDefault(TSection section);

    /// <summary>The value, boxed (to remember which pending value was announced).</summary>
    public abstract object? Value(TSection section);

    /// <summary>The YAML node <see cref="ConfigWriter"/> writes, or <see langword="null"/> to leave the key out.</summary>
    public abstract YamlNode? Write(TSection section);

    /// <summary>What is allowed, when a value set in code breaks the key's rule; <see langword="null"/> when it keeps it.</summary>
    public abstract string? Check(TSection section);

    /// <summary>The value as if it had been written as an override, for messages about values that were set in code.</summary>
    public abstract RawSetting Describe(TSection section);

    /// <summary>Appends <c>Property = value</c>, a secret as <c>***</c>.</summary>
    public abstract void Print(TSection section, StringBuilder builder);
}
