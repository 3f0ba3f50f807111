using k8s.Models;
using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Tests.Injection;

public sealed class InjectionDeciderTests
{
    private static readonly InjectionOptions Options = new() { ExcludedNamespaces = ["legacy"] };

    [Theory]
    [InlineData("enabled", null, null, false, null)]
    [InlineData(null, null, null, true, null)]
    [InlineData(null, null, null, false, SkipReason.NotOptedIn)]
    [InlineData("yes", null, null, false, SkipReason.NotOptedIn)]
    [InlineData("disabled", null, null, true, SkipReason.DisabledByLabel)]
    [InlineData("enabled", "disabled", null, false, SkipReason.DisabledByAnnotation)]
    [InlineData("enabled", "false", null, false, SkipReason.DisabledByAnnotation)]
    [InlineData(null, "disabled", null, true, SkipReason.DisabledByAnnotation)]
    [InlineData("enabled", null, "kube-system", false, SkipReason.NamespaceExcluded)]
    [InlineData("enabled", null, "palisade-system", false, SkipReason.NamespaceExcluded)]
    [InlineData("enabled", null, "legacy", false, SkipReason.NamespaceExcluded)]
    [InlineData("enabled", null, "shop", false, null)]
    public void Decides_by_labels_annotations_and_namespace(string? label, string? annotation, string? ns, bool namespaceOptedIn, SkipReason? expected)
    {
        var pod = Pod(label, annotation);

        var decision = InjectionDecider.Decide(pod, ns, namespaceOptedIn, Options);

        Assert.Equal(expected is null, decision.Inject);
        Assert.Equal(expected, decision.Reason);
    }

    [Fact]
    public void Namespace_opt_in_can_be_turned_off()
    {
        var decision = InjectionDecider.Decide(Pod(null, null), "shop", namespaceOptedIn: true, Options with { NamespaceOptIn = false });

        Assert.Equal(SkipReason.NotOptedIn, decision.Reason);
    }

    [Fact]
    public void Host_network_pods_are_skipped()
    {
        var pod = Pod("enabled", null);
        pod.Spec.HostNetwork = true;

        Assert.Equal(SkipReason.HostNetwork, InjectionDecider.Decide(pod, null, false, Options).Reason);
    }

    [Fact]
    public void The_pod_namespace_is_used_when_the_request_names_none()
    {
        var pod = Pod("enabled", null);
        pod.Metadata.NamespaceProperty = "kube-system";

        Assert.Equal(SkipReason.NamespaceExcluded, InjectionDecider.Decide(pod, null, false, Options).Reason);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("container")]
    [InlineData("init-container")]
    public void An_injected_pod_is_recognised_by_its_status_or_its_containers(string sign)
    {
        var pod = Pod("enabled", null);
        switch (sign)
        {
            case "status":
                pod.Metadata.Annotations = new Dictionary<string, string> { [InjectionAnnotations.Status] = "injected" };
                break;
            case "container":
                pod.Spec.Containers.Add(new V1Container { Name = "palisade", Image = "x" });
                break;
            default:
                pod.Spec.InitContainers = [new V1Container { Name = "palisade-iptables", Image = "x" }];
                break;
        }

        Assert.Equal(SkipReason.AlreadyInjected, InjectionDecider.Decide(pod, null, false, Options).Reason);
    }

    [Fact]
    public void Every_skip_reason_has_a_distinct_code()
    {
        var codes = Enum.GetValues<SkipReason>().Select(r => r.Code()).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[a-z]+(-[a-z]+)*$", code));
    }

    internal static V1Pod Pod(string? label, string? annotation) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            Labels = label is null ? null : new Dictionary<string, string> { [InjectionAnnotations.Inject] = label },
            Annotations = annotation is null ? null : new Dictionary<string, string> { [InjectionAnnotations.Inject] = annotation },
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "web:1" }] },
    };
}
