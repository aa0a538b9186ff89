using GhidraInsight.Deploy.Tests.Support;
using GhidraInsight.Deploy.Tests.Support.Docker;
using GhidraInsight.Deploy.Tests.Support.Kubernetes;
using GhidraInsight.Tests.Shared;
using k8s.Models;

namespace GhidraInsight.Deploy.Tests;

/// <summary>
/// deploy/Dockerfile and deploy/docker/patroni.Dockerfile, parsed (no container engine here can pull their base images):
/// known instructions and stages, a final stage that runs as the non-root user the StatefulSet runs as, and the ports,
/// volume and command the Kubernetes manifests expect.
/// </summary>
public sealed class DockerfileTests
{
    private const string Region = "deploy/Dockerfile";
    private const string Patroni = "deploy/docker/patroni.Dockerfile";

    public static TheoryData<string> Files => new(Region, Patroni);

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryCopyFromAStage_NamesAnEarlierOne(string file)
    {
        var dockerfile = Dockerfile.Load(file);

        for (var i = 0; i < dockerfile.Stages.Count; i++)
        {
            var earlier = dockerfile.Stages.Take(i).Select(s => s.Name).ToList();
            foreach (var from in dockerfile.Stages[i].All("COPY").SelectMany(c => c.Words).Where(w => w.StartsWith("--from=", StringComparison.Ordinal)))
            {
                Assert.True(earlier.Contains(from["--from=".Length..]), $"{file}: {from} is not an earlier stage");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TheFinalStage_RunsAsTheNonRootUserItsStatefulSetRunsAs(string file)
    {
        var pod = StatefulSetOf(file).Spec.Template.Spec;

        var user = Assert.Single(Dockerfile.Load(file).Final.All("USER")).Arguments;

        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
        Assert.Equal($"{pod.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}", user);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TheFinalStage_ExposesThePortsItsContainerListensOn(string file)
    {
        var ports = StatefulSetOf(file).Spec.Template.Spec.Containers[0].Ports.Select(p => p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var exposed = Dockerfile.Load(file).Final.All("EXPOSE").SelectMany(e => e.Words);

        Assert.Equal(ports.Order(StringComparer.Ordinal), exposed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheRegionImage_BuildsInAnSdkStage_RunsOnAspNet_AndExposesThePortTheConfigMapSets()
    {
        var dockerfile = Dockerfile.Load(Region);
        var overlay = RenderedOverlay.Of("us-east-1");
        var config = overlay.Get<V1ConfigMap>("ghidrainsight-config").Data;

        Assert.Contains("/dotnet/sdk:", dockerfile.Stages[0].Image, StringComparison.Ordinal);
        Assert.Contains("/dotnet/aspnet:", dockerfile.Final.Image, StringComparison.Ordinal);
        Assert.Contains(dockerfile.Stages[0].All("RUN"), run => run.Arguments.Contains("dotnet publish src/GhidraInsight.Cli/GhidraInsight.Cli.csproj", StringComparison.Ordinal));
        Assert.Equal([config["GHIDRA_SERVER__PORT"]], dockerfile.Final.All("EXPOSE").SelectMany(e => e.Words));
        Assert.Equal([config["GHIDRA_STORAGE__DATA_DIR"]], Assert.Single(dockerfile.Final.All("VOLUME")).ExecForm);
    }

    [Fact]
    public void TheRegionImage_RunsTheCommandTheLauncherBuilds_AndServesByDefault()
    {
        var final = Dockerfile.Load(Region).Final;

        // ./ghidrainsight runs the published assembly named ghidrainsight (the csproj's AssemblyName).
        Assert.Equal(["/app/ghidrainsight"], Assert.Single(final.All("ENTRYPOINT")).ExecForm);
        Assert.Equal(["serve"], Assert.Single(final.All("CMD")).ExecForm);
        Assert.Contains("<AssemblyName>ghidrainsight</AssemblyName>", DeployFiles.ReadAllText("src/GhidraInsight.Cli/GhidraInsight.Cli.csproj"), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInstructionDockerDoesNotKnow_FailsTheParse()
    {
        using var folder = new TempFolder("gi-docker-");
        var file = Path.Combine(folder.Path, "Dockerfile");
        File.WriteAllText(file, "FROM debian:bookworm-slim\nRUN true \\\n  && true\nEXPOSES 3101\n");

        var error = Assert.Throws<FormatException>(() => Dockerfile.Load(file));

        Assert.Contains("line 4: 'EXPOSES' is not a Dockerfile instruction", error.Message, StringComparison.Ordinal);
    }

    private static V1StatefulSet StatefulSetOf(string file) => file == Region
        ? RenderedOverlay.Of("us-east-1").Get<V1StatefulSet>("ghidrainsight")
        : RenderedOverlay.Of("us-east-1-postgres").Get<V1StatefulSet>("ghidrainsight-postgres");
}
