using System.Text;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>A section record and its declared keys; binding, writing, reloading and printing all walk the same list.</summary>
/// <typeparam name="TSection">The section record.</typeparam>
internal sealed class OptionsSection<TSection>(
    string name,
    Func<GhidraOptions, TSection> of,
    Func<GhidraOptions, TSection, GhidraOptions> with,
    IReadOnlyList<Setting<TSection>> settings) : IOptionsSection
    where TSection : class, new()
{
    public string Name => name;

    public IReadOnlyList<Setting<TSection>> Settings => settings;

    IReadOnlyList<ConfigName> IOptionsSection.Settings => settings;

    /// <summary>A step after every key is bound, for a value that comes from another key (the secret from its file).</summary>
    public Func<TSection, BindingContext, TSection>? AfterBind { get; init; }

    public TSection Of(GhidraOptions options) => of(options);

    public GhidraOptions Bind(GhidraOptions options, BindingContext context)
    {
        var section = new TSection();
        foreach (var setting in settings)
        {
            section = setting.Bind(section, context);
        }

        return with(options, AfterBind is { } after ? after(section, context) : section);
    }

    public YamlMappingNode Write(GhidraOptions options)
    {
        var section = of(options);
        var mapping = new YamlMappingNode();
        foreach (var setting in settings)
        {
            if (setting.Write(section) is { } node)
            {
                // A grouped key (tls.cert_file) goes into its group's own mapping.
                var target = mapping;
                var names = setting.Name.Split('.');
                foreach (var group in names[..^1])
                {
                    if (!target.Children.TryGetValue(new YamlScalarNode(group), out var child))
                    {
                        child = new YamlMappingNode();
                        target.Add(group, child);
                    }
                    target = (YamlMappingNode)child;
                }
                target.Add(names[^1], node);
            }
        }

        return mapping;
    }

    public bool Differs(GhidraOptions left, GhidraOptions right) => !of(left).Equals(of(right));

    public GhidraOptions Merge(GhidraOptions running, GhidraOptions candidate, ReloadChanges changes)
    {
        var (current, next) = (of(running), of(candidate));
        var merged = current;
        foreach (var setting in settings.Where(s => s.Differs(current, next)))
        {
            if (setting.IsReloadable)
            {
                merged = setting.CopyValue(merged, next);
                changes.Applied.Add(setting);
            }
            else
            {
                changes.KeptRunning.Add(setting, setting.Value(next));
            }
        }

        return with(running, merged);
    }

    /// <summary>
    /// Holds values that no source gave (set in code, or derived) to their keys' rules, the rules binding applied to the
    /// values read; one line per broken key.
    /// </summary>
    public IEnumerable<string> CheckValues(TSection section, ISettingOrigins origins)
    {
        foreach (var setting in settings)
        {
            if (origins.Get(setting) is null && !setting.IsDefault(section) && setting.Check(section) is { } allowed)
            {
                yield return ConfigErrors.Invalid(setting.Key, setting.Describe(section).Value, allowed);
            }
        }
    }

    /// <summary>The record's members for <c>ToString()</c>, a secret as <c>***</c>.</summary>
    public bool PrintMembers(TSection section, StringBuilder builder)
    {
        for (var i = 0; i < settings.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            settings[i].Print(section, builder);
        }

        return true;
    }
}
