using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support.Kubernetes;

/// <summary>
/// Reads a manifest into KubernetesClient's typed model of its kind, strictly: KubernetesYaml.Deserialize drops a field the
/// model does not have unless asked to be strict, and a misspelt field would then vanish without a word.
/// </summary>
internal static class KubernetesModels
{
    public static IKubernetesObject<V1ObjectMeta> Deserialize(YamlMappingNode manifest)
    {
        var yaml = Text(manifest);
        return (manifest.PlainScalar("apiVersion"), manifest.PlainScalar("kind")) switch
        {
            ("v1", "Namespace") => Strict<V1Namespace>(yaml),
            ("v1", "ConfigMap") => Strict<V1ConfigMap>(yaml),
            ("v1", "Secret") => Strict<V1Secret>(yaml),
            ("v1", "Service") => Strict<V1Service>(yaml),
            ("apps/v1", "StatefulSet") => Strict<V1StatefulSet>(yaml),
            ("policy/v1", "PodDisruptionBudget") => Strict<V1PodDisruptionBudget>(yaml),
            ("networking.k8s.io/v1", "NetworkPolicy") => Strict<V1NetworkPolicy>(yaml),
            var (apiVersion, kind) => throw new NotSupportedException($"{apiVersion} {kind}: no typed model is mapped for it in {nameof(KubernetesModels)}"),
        };
    }

    public static T Strict<T>(string yaml) => KubernetesYaml.Deserialize<T>(yaml, strict: true);

    /// <summary>The manifest as YAML text, as kubectl would send it.</summary>
    public static string Text(YamlMappingNode manifest)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(manifest)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
