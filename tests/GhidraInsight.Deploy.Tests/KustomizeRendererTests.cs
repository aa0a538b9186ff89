using GhidraInsight.Deploy.Tests.Support;
using GhidraInsight.Deploy.Tests.Support.Kubernetes;
using GhidraInsight.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// The test renderer standing in for kubectl kustomize: it refuses what it does not implement, and orders generators,
/// components and patches as kubectl does (the expected values below are what kubectl kustomize 5.5 printed for the same
/// files).
/// </summary>
public sealed class KustomizeRendererTests
{
    private const string Header = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
    private const string NoHashes = "generatorOptions:\n  disableNameSuffixHash: true\n";

    [Theory]
    [InlineData("commonLabels:\n  team: a\n", "commonLabels")]
    [InlineData("images:\n  - name: a\n    newTag: b\n", "images")]
    [InlineData("configMapGenerator:\n  - name: a\n    literals: [A=1]\n", "name hashes are not implemented")]
    [InlineData(NoHashes + "configMapGenerator:\n  - name: a\n    behavior: replace\n    literals: [A=1]\n", "behavior 'replace'")]
    [InlineData(NoHashes + "configMapGenerator:\n  - name: a\n    envs: [a.env]\n", "'envs'")]
    [InlineData("patches:\n  - path: patch.yaml\n", "only patches with target")]
    public void AFeatureItDoesNotImplement_FailsTheRender(string fields, string expected)
    {
        using var folder = new TempFolder("gi-kustomize-");
        File.WriteAllText(Path.Combine(folder.Path, "kustomization.yaml"), Header + fields);

        var error = Assert.Throws<NotSupportedException>(() => KustomizeRenderer.Render(folder.Path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APatchInYamlsFlowStyle_FailsTheRender_AsKubectlRefusesIt()
    {
        using var folder = new TempFolder("gi-kustomize-");
        File.WriteAllText(Path.Combine(folder.Path, "kustomization.yaml"), Header + NoHashes
            + "configMapGenerator:\n  - name: a\n    literals: [A=1]\npatches:\n  - target: {kind: ConfigMap, name: a}\n    patch: '[{op: remove, path: /data/A}]'\n");

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => KustomizeRenderer.Render(folder.Path));
    }

    [Fact]
    public void APatchWhoseTargetMatchesNothing_FailsTheRender()
    {
        using var folder = new TempFolder("gi-kustomize-");
        File.WriteAllText(Path.Combine(folder.Path, "kustomization.yaml"), Header + NoHashes
            + "configMapGenerator:\n  - name: a\n    literals: [A=1]\npatches:\n  - target: {kind: ConfigMap, name: b}\n    patch: '[{\"op\": \"remove\", \"path\": \"/data/A\"}]'\n");

        var error = Assert.Throws<InvalidOperationException>(() => KustomizeRenderer.Render(folder.Path));

        Assert.Contains("ConfigMap/b matches no resource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKustomizationsGeneratorsRunBeforeItsComponents_AndItsPatchesAfterThem_AsInKubectl()
    {
        using var folder = new TempFolder("gi-kustomize-");
        Directory.CreateDirectory(Path.Combine(folder.Path, "component"));
        File.WriteAllText(Path.Combine(folder.Path, "namespace.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: placeholder\n");
        File.WriteAllText(Path.Combine(folder.Path, "component", "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" + NoHashes
            + "configMapGenerator:\n  - name: a\n    behavior: merge\n    literals: [X=component]\n"
            + "patches:\n  - target: {kind: ConfigMap, name: a}\n    patch: |-\n      - op: add\n        path: /data/P\n        value: component\n");
        File.WriteAllText(Path.Combine(folder.Path, "kustomization.yaml"), Header + "namespace: ns-a\nresources: [namespace.yaml]\ncomponents: [component]\n" + NoHashes
            + "configMapGenerator:\n  - name: a\n    literals: [X=overlay, Y=overlay]\n"
            + "patches:\n  - target: {kind: ConfigMap, name: a}\n    patch: '[{\"op\": \"add\", \"path\": \"/data/P\", \"value\": \"overlay\"}]'\n");

        var rendered = KustomizeRenderer.Render(folder.Path);

        var configMap = Assert.Single(rendered, r => r.PlainScalar("kind") == "ConfigMap");
        var data = configMap.ChildMapping("data")!.Entries().ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value);
        Assert.Equal(new Dictionary<string, string?> { ["X"] = "component", ["Y"] = "overlay", ["P"] = "overlay" }, data);
        Assert.Equal("ns-a", configMap.ChildMapping("metadata")!.PlainScalar("namespace"));
        Assert.Equal("ns-a", Assert.Single(rendered, r => r.PlainScalar("kind") == "Namespace").ChildMapping("metadata")!.PlainScalar("name"));
    }
}
