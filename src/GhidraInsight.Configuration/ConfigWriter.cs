using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>Writes options as a <c>config.yaml</c> that <see cref="ConfigLoader"/> reads back to equal options.</summary>
public static class ConfigWriter
{
    /// <summary>
    /// Every key declared as written, in declaration order; API keys as <c>key_sha256</c> only. The inter-region secret is
    /// never written, only <c>region.secret_file</c>: a secret given through <c>GHIDRA_REGION__SECRET</c> has to be given
    /// that way again. <c>storage.data_dir</c> is written as held (absolute after loading), so the file works wherever it is put.
    /// </summary>
    public static string ToYaml(GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = new YamlMappingNode();
        foreach (var section in OptionsSections.All)
        {
            root.Add(section.Name, section.Write(options));
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.Write("# GhidraInsight effective configuration (written by ghidrainsight; key_sha256 holds hashes, never keys).\n");
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);

        // The stream ends with an explicit "..." document-end marker, which readers do not need.
        var yaml = writer.ToString().ReplaceLineEndings("\n");
        return yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^"...\n".Length] : yaml;
    }
}
