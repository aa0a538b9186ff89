using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>One section of <see cref="GhidraOptions"/> and its keys, with the operations that span every key of it.</summary>
internal interface IOptionsSection
{
    /// <summary>The YAML section name, e.g. <c>server</c>.</summary>
    string Name { get; }

    /// <summary>The section's keys, in the order they are documented, bound and written.</summary>
    IReadOnlyList<ConfigName> Settings { get; }

    /// <summary><paramref name="options"/> with this section bound from the sources.</summary>
    GhidraOptions Bind(GhidraOptions options, BindingContext context);

    /// <summary>The section as <see cref="ConfigWriter"/> writes it.</summary>
    YamlMappingNode Write(GhidraOptions options);

    /// <summary>Whether the two options differ in this section.</summary>
    bool Differs(GhidraOptions left, GhidraOptions right);

    /// <summary>
    /// <paramref name="running"/> with this section's reloadable keys taken from <paramref name="candidate"/>; each changed
    /// key is noted in <paramref name="changes"/> as applied or waiting for a restart.
    /// </summary>
    GhidraOptions Merge(GhidraOptions running, GhidraOptions candidate, ReloadChanges changes);
}
