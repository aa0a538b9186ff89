using GhidraInsight.Deploy.Tests.Support;
using GhidraInsight.Deploy.Tests.Support.Kubernetes;
using k8s;
using k8s.Models;
using YamlDotNet.Core;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// deploy/kubernetes/: every overlay renders into objects that KubernetesClient's typed models accept strictly, in the
/// region's namespace, and the region runs as the issue asks: serve, probes, limits, non-root on a read-only root, its
/// port open only to the other regions.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] RegionKinds = ["Namespace", "ConfigMap", "Secret", "StatefulSet", "Service", "PodDisruptionBudget", "NetworkPolicy"];

    /// <summary>Made by you or cert-manager, never by the manifests (README.md).</summary>
    private static readonly string[] TlsSecrets = ["ghidrainsight-tls", "patroni-tls"];

    public static TheoryData<string> Overlays => new(RenderedOverlay.All);

    public static TheoryData<string> Regions => new(RenderedOverlay.Regions);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryObject_IsStrictlyAValidModelOfItsKind_InTheRegionsNamespace(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);

        Assert.Equal(RegionKinds.Order(StringComparer.Ordinal), rendered.Objects.Select(o => o.Kind).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(rendered.Namespace, Assert.Single(rendered.Objects.OfType<V1Namespace>()).Metadata.Name);
        Assert.All(rendered.Objects.Where(o => o is not V1Namespace), o => Assert.Equal(rendered.Namespace, o.Metadata.NamespaceProperty));
        Assert.True(rendered.Has<V1ConfigMap>("ghidrainsight-config"), "the guide patches the ConfigMap ghidrainsight-config by that exact name");
    }

    [Fact]
    public void AMisspelledField_IsRefusedByTheStrictReading_ThatTheLenientOneWouldDrop()
    {
        var manifest = DeployFiles.ReadAllText("deploy/kubernetes/base/statefulset.yaml");
        var misspelled = manifest.Replace("readOnlyRootFilesystem:", "readOnlyRootFileSystem:", StringComparison.Ordinal);
        Assert.NotEqual(manifest, misspelled);

        var lenient = KubernetesYaml.Deserialize<V1StatefulSet>(misspelled);
        var error = Assert.Throws<YamlException>(() => KubernetesModels.Strict<V1StatefulSet>(misspelled));

        Assert.Null(lenient.Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem);
        Assert.Contains("readOnlyRootFileSystem", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void TheRegion_RunsServeWithProbesAndLimits_FromOneReplicaWithItsOwnVolume(string region)
    {
        var rendered = RenderedOverlay.Of(region);
        var statefulSet = rendered.Get<V1StatefulSet>("ghidrainsight");
        var container = Assert.Single(statefulSet.Spec.Template.Spec.Containers);
        var port = Assert.Single(container.Ports);

        Assert.Equal(1, statefulSet.Spec.Replicas);
        Assert.Equal("serve", container.Args[0]);
        Assert.Equal(("/health/live", port.Name), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(("/health", port.Name), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(rendered.EnvironmentOf(container)["GHIDRA_SERVER__PORT"], port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var data = Assert.Single(statefulSet.Spec.VolumeClaimTemplates);
        Assert.Equal(rendered.EnvironmentOf(container)["GHIDRA_STORAGE__DATA_DIR"], Assert.Single(container.VolumeMounts, m => m.Name == data.Metadata.Name).MountPath);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryPod_RunsNonRootOnAReadOnlyRoot_WithRequestsWithinLimits(string overlay)
    {
        foreach (var statefulSet in RenderedOverlay.Of(overlay).Objects.OfType<V1StatefulSet>())
        {
            var pod = statefulSet.Spec.Template.Spec;
            Assert.True(pod.SecurityContext.RunAsNonRoot == true && pod.SecurityContext.RunAsUser > 0, $"{statefulSet.Metadata.Name} may run as root");
            foreach (var container in pod.Containers)
            {
                var (security, resources) = (container.SecurityContext, container.Resources);
                Assert.True(security.ReadOnlyRootFilesystem == true && security.AllowPrivilegeEscalation == false, $"{container.Name}: root file system writable or escalation allowed");
                Assert.Equal(["ALL"], security.Capabilities.Drop);
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(resources.Requests[resource].ToDecimal() <= resources.Limits[resource].ToDecimal(), $"{container.Name}: {resource} request above its limit");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void TheNetworkPolicy_OpensTheRegionsPortToTheOtherRegions_NotItself(string region)
    {
        var rendered = RenderedOverlay.Of(region);
        var policy = rendered.Get<V1NetworkPolicy>("ghidrainsight");
        var statefulSet = rendered.Get<V1StatefulSet>("ghidrainsight");
        var port = statefulSet.Spec.Template.Spec.Containers[0].Ports[0].ContainerPort;

        var namespaces = policy.Spec.Ingress[0].FromProperty.Where(peer => peer.NamespaceSelector is not null)
            .Select(peer => peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(RenderedOverlay.Regions.Where(r => r != region).Select(r => $"ghidrainsight-{r}").Order(StringComparer.Ordinal), namespaces.Order(StringComparer.Ordinal));
        Assert.All(policy.Spec.Ingress, rule => Assert.NotEmpty(rule.FromProperty));
        Assert.All(policy.Spec.Ingress.SelectMany(rule => rule.Ports), p => Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Port.Value));
        Assert.True(Selects(policy.Spec.PodSelector.MatchLabels, statefulSet), "the NetworkPolicy does not select the region's pod");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void TheServicesAndTheBudget_SelectTheirPods_OnPortsTheyOpen(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var statefulSets = rendered.Objects.OfType<V1StatefulSet>().ToList();

        foreach (var service in rendered.Objects.OfType<V1Service>())
        {
            var pod = Assert.Single(statefulSets, s => Selects(service.Spec.Selector, s));
            var names = pod.Spec.Template.Spec.Containers.SelectMany(c => c.Ports).Select(p => p.Name);
            Assert.All(service.Spec.Ports, p => Assert.Contains(p.TargetPort.Value, names));
        }
        var budget = rendered.Get<V1PodDisruptionBudget>("ghidrainsight");
        Assert.True(Selects(budget.Spec.Selector.MatchLabels, rendered.Get<V1StatefulSet>("ghidrainsight")), "the budget does not select the region's pod");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryConfigMapAndSecretAPodReads_IsRendered_ButTheTlsSecretsYouCreate(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);

        foreach (var pod in rendered.Objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template.Spec))
        {
            Assert.All(pod.Containers, container => rendered.EnvironmentOf(container));
            Assert.All(pod.Volumes.Where(v => v.ConfigMap is not null), v => rendered.Get<V1ConfigMap>(v.ConfigMap.Name));
            Assert.All(pod.Volumes.Where(v => v.Secret is not null && !TlsSecrets.Contains(v.Secret.SecretName)), v => rendered.Get<V1Secret>(v.Secret.SecretName));
        }
    }

    private static bool Selects(IDictionary<string, string> selector, V1StatefulSet statefulSet) =>
        selector.Count > 0 && selector.All(label => statefulSet.Spec.Template.Metadata.Labels.TryGetValue(label.Key, out var value) && value == label.Value);
}
