using k8s;
using k8s.Models;

namespace GhidraInsight.Deploy.Tests.Support.Kubernetes;

/// <summary>
/// An overlay of deploy/kubernetes/overlays rendered by <see cref="KustomizeRenderer"/>, every object read strictly into its
/// typed model, with what the tests ask of it: an object by kind and name, and a container's environment as the kubelet
/// would build it from its ConfigMaps and Secrets.
/// </summary>
internal sealed class RenderedOverlay
{
    public static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    /// <summary>Each region in embedded mode, then on PostgreSQL.</summary>
    public static readonly string[] All = [.. Regions, .. Regions.Select(region => region + "-postgres")];

    private RenderedOverlay(string name, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public string Region => Name.Replace("-postgres", "", StringComparison.Ordinal);

    public string Namespace => $"ghidrainsight-{Region}";

    public bool IsPostgres => Name.EndsWith("-postgres", StringComparison.Ordinal);

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    public static RenderedOverlay Of(string overlay) =>
        new(overlay, [.. KustomizeRenderer.Render($"deploy/kubernetes/overlays/{overlay}").Select(KubernetesModels.Deserialize)]);

    public T Get<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Objects.OfType<T>().SingleOrDefault(o => o.Metadata.Name == name) ?? throw new InvalidOperationException($"{Name} renders no {typeof(T).Name} {name}");

    public bool Has<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> => Objects.OfType<T>().Any(o => o.Metadata.Name == name);

    /// <summary>The variables of a container: envFrom's ConfigMaps and Secrets in order, then env (a literal value or a key of either).</summary>
    public Dictionary<string, string> EnvironmentOf(V1Container container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var data = source.ConfigMapRef is { } configMap ? Get<V1ConfigMap>(configMap.Name).Data : SecretData(Get<V1Secret>(source.SecretRef.Name));
            foreach (var (key, value) in data)
            {
                environment[key] = value;
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom switch
            {
                null => variable.Value,
                { ConfigMapKeyRef: { } key } => Get<V1ConfigMap>(key.Name).Data[key.Key],
                { SecretKeyRef: { } key } => SecretData(Get<V1Secret>(key.Name))[key.Key],
                _ => throw new NotSupportedException($"{Name}: {variable.Name} comes from a source the tests do not read"),
            };
        }
        return environment;
    }

    /// <summary>Our Secrets are written with stringData; kubectl would have turned it into data.</summary>
    public static IDictionary<string, string> SecretData(V1Secret secret) =>
        secret.StringData ?? secret.Data?.ToDictionary(pair => pair.Key, pair => System.Text.Encoding.UTF8.GetString(pair.Value)) ?? new Dictionary<string, string>();
}
