using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support.Kubernetes;

/// <summary>
/// Renders a kustomization as <c>kubectl kustomize</c> does, for the features our overlays use and no others (CI has no
/// kubectl): resources (files and folders), components, namespace, configMapGenerator, patches. The order is kustomize's,
/// checked against kubectl: a kustomization's resources, its generators, its components (their resources, generators
/// and patches, over everything so far), then its patches and namespace.
/// </summary>
internal static class KustomizeRenderer
{
    /// <summary>The resources of the kustomization in <paramref name="directory"/> (absolute, or relative to the repository).</summary>
    public static IReadOnlyList<YamlMappingNode> Render(string directory)
    {
        var resources = new List<YamlMappingNode>();
        Accumulate(Path.IsPathRooted(directory) ? directory : DeployFiles.FullPath(directory), resources, component: false);
        return resources;
    }

    private static void Accumulate(string directory, List<YamlMappingNode> resources, bool component)
    {
        var kustomization = Kustomization.Load(directory, component);
        var own = component ? resources : [];
        foreach (var path in kustomization.Resources.Select(entry => Path.GetFullPath(Path.Combine(directory, entry))))
        {
            if (Directory.Exists(path))
            {
                Accumulate(path, own, component: false);
            }
            else
            {
                own.AddRange(Documents(path));
            }
        }
        foreach (var generator in kustomization.ConfigMapGenerators)
        {
            generator.ApplyTo(own);
        }
        foreach (var path in kustomization.Components.Select(entry => Path.GetFullPath(Path.Combine(directory, entry))))
        {
            Accumulate(path, own, component: true);
        }
        foreach (var patch in kustomization.Patches)
        {
            patch.ApplyTo(own);
        }
        if (kustomization.Namespace is { } name)
        {
            own.ForEach(resource => SetNamespace(resource, name));
        }
        if (!component)
        {
            resources.AddRange(own);
        }
    }

    /// <summary>Kustomize puts namespaced resources in the namespace and names a Namespace object after it.</summary>
    private static void SetNamespace(YamlMappingNode resource, string name)
    {
        var metadata = resource.ChildMapping("metadata")!;
        metadata.Children[new YamlScalarNode(resource.PlainScalar("kind") == "Namespace" ? "name" : "namespace")] = new YamlScalarNode(name);
    }

    private static IEnumerable<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(file)))
        {
            stream.Load(reader);
        }
        return stream.Documents.Select(document => Kustomization.Require<YamlMappingNode>(document.RootNode, file));
    }
}
