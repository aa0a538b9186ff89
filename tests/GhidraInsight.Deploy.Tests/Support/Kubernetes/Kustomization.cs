using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support.Kubernetes;

/// <summary>
/// One kustomization.yaml, read for exactly the fields <see cref="KustomizeRenderer"/> implements. Any other field (or a
/// value of one it does not handle) throws <see cref="NotSupportedException"/>, so an overlay cannot use a kustomize
/// feature the tests would silently skip.
/// </summary>
internal sealed class Kustomization
{
    private static readonly string[] Fields = ["apiVersion", "kind", "namespace", "resources", "components", "generatorOptions", "configMapGenerator", "patches"];

    private Kustomization(string directory, YamlMappingNode root)
    {
        Directory = directory;
        Root = root;
    }

    public string Directory { get; }

    public string? Namespace => Root.PlainScalar("namespace");

    public IEnumerable<string> Resources => Strings("resources");

    public IEnumerable<string> Components => Strings("components");

    public IEnumerable<ConfigMapGenerator> ConfigMapGenerators =>
        Root.ChildSequence("configMapGenerator")?.Select(node => ConfigMapGenerator.Read(Require<YamlMappingNode>(node, "configMapGenerator[]"), Directory)) ?? [];

    public IEnumerable<JsonPatch> Patches =>
        Root.ChildSequence("patches")?.Select(node => JsonPatch.Read(Require<YamlMappingNode>(node, "patches[]"), File)) ?? [];

    private YamlMappingNode Root { get; }

    private string File => Path.Combine(Directory, "kustomization.yaml");

    /// <summary>Reads <c>kustomization.yaml</c> in <paramref name="directory"/>, a Kustomization or, where one is expected, a Component.</summary>
    public static Kustomization Load(string directory, bool component)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var stream = new YamlStream();
        using (var reader = new StringReader(System.IO.File.ReadAllText(file)))
        {
            stream.Load(reader);
        }
        var root = Require<YamlMappingNode>(stream.Documents.Single().RootNode, file);
        var kustomization = new Kustomization(directory, root);
        kustomization.Check(component);
        return kustomization;
    }

    private void Check(bool component)
    {
        foreach (var (key, _) in Root.Entries().Where(entry => !Fields.Contains(entry.Key)))
        {
            throw new NotSupportedException($"{File}: '{key}' is not implemented by the test renderer (it implements {string.Join(", ", Fields)})");
        }
        var (apiVersion, kind) = component ? ("kustomize.config.k8s.io/v1alpha1", "Component") : ("kustomize.config.k8s.io/v1beta1", "Kustomization");
        if (Root.PlainScalar("apiVersion") != apiVersion || Root.PlainScalar("kind") != kind)
        {
            throw new NotSupportedException($"{File}: expected apiVersion {apiVersion} and kind {kind}");
        }
        var options = Root.ChildMapping("generatorOptions");
        var hashless = options is not null && options.Children.Count == 1 && options.PlainScalar("disableNameSuffixHash") == "true";
        if (Root.Child("configMapGenerator") is not null && !hashless)
        {
            throw new NotSupportedException($"{File}: generated names need generatorOptions exactly {{disableNameSuffixHash: true}}; name hashes are not implemented");
        }
    }

    private IEnumerable<string> Strings(string key) =>
        Root.ChildSequence(key)?.Select(node => Require<YamlScalarNode>(node, $"{File}: {key}[]").Value!) ?? [];

    public static T Require<T>(YamlNode node, string where)
        where T : YamlNode =>
        node as T ?? throw new NotSupportedException($"{where}: expected a {typeof(T).Name[4..^4].ToLowerInvariant()} at line {node.Start.Line}");
}
