using k8s.Models;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Manifests;
using Palisade.Kubernetes.Models;

namespace Palisade.Kubernetes.Tests.Deploy;

/// <summary>The examples under <c>deploy/examples</c> inject cleanly, and their Service reaches the node in each capture mode.</summary>
public sealed class ExampleManifestsTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "deploy", "examples");

    [Theory]
    [InlineData("iptables-capture.yaml", CaptureMode.Iptables)]
    [InlineData("service-capture.yaml", CaptureMode.Service)]
    public void The_example_injects_and_its_service_reaches_the_node(string file, CaptureMode capture)
    {
        var injection = ManifestInjector.Inject(File.ReadAllText(Path.Combine(Folder, file)), new InjectionOptions(), injectAll: false);

        var workload = Assert.Single(injection.Workloads);
        Assert.Equal(InjectionOutcome.Injected, workload.Result.Outcome);
        var pod = workload.Result.Pod!;
        Assert.Empty(PodSchema.Check(pod.Metadata, pod.Spec));
        var documents = ManifestReader.Read(injection.Yaml).Select(d => d.Json!.AsObject()).ToList();
        var service = ModelJson.FromNode<V1Service>(documents.Single(d => d["kind"]!.GetValue<string>() == "Service"));
        var target = service.Spec.Ports.Single().TargetPort.Value;
        var node = pod.Spec.InitContainers.Single(c => c.Name == SidecarRenderer.NodeContainerName);
        var listen = node.Ports.Single(p => p.Name == SidecarRenderer.ListenPortName).ContainerPort;

        if (capture == CaptureMode.Service)
        {
            Assert.Equal(SidecarRenderer.ListenPortName, target);
            Assert.DoesNotContain(pod.Spec.InitContainers, c => c.Name == SidecarRenderer.IptablesContainerName);
        }
        else
        {
            // The Service still targets the application's port, which the init container sends to the node.
            var application = pod.Spec.Containers.Single().Ports.Single(p => p.Name == target).ContainerPort;
            var iptables = pod.Spec.InitContainers.Single(c => c.Name == SidecarRenderer.IptablesContainerName);
            Assert.Equal(["iptables", "--application-port", application.ToString(System.Globalization.CultureInfo.InvariantCulture), "--node-port", listen.ToString(System.Globalization.CultureInfo.InvariantCulture)], iptables.Args);
        }
    }
}
