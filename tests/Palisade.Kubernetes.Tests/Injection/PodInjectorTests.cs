using k8s.Models;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Models;
using Palisade.Kubernetes.Patching;

namespace Palisade.Kubernetes.Tests.Injection;

public sealed class PodInjectorTests
{
    [Theory]
    [InlineData(true, CaptureMode.Iptables)]
    [InlineData(true, CaptureMode.Service)]
    [InlineData(false, CaptureMode.Iptables)]
    public void The_patch_applied_to_the_original_gives_the_mutated_pod(bool native, CaptureMode capture)
    {
        var pod = InjectionDeciderTests.Pod("enabled", null);
        pod.Spec.InitContainers = [new V1Container { Name = "migrate", Image = "web:1" }];
        pod.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }];

        var result = PodInjector.Inject(pod, "shop", false, new InjectionOptions { NativeSidecar = native, Capture = capture });

        Assert.Equal(InjectionOutcome.Injected, result.Outcome);
        var patched = JsonPatchApplier.Apply(PodInjector.ToJson(pod), result.Patch);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(PodInjector.ToJson(result.Pod!), patched));
        Assert.DoesNotContain(result.Patch, op => op.Op == "replace" || op.Op == "remove");
        Assert.Empty(PodSchema.Check(result.Pod!.Metadata, result.Pod.Spec));
    }

    [Fact]
    public void The_native_sidecar_starts_before_the_application_and_the_init_containers()
    {
        var pod = InjectionDeciderTests.Pod("enabled", null);
        pod.Spec.InitContainers = [new V1Container { Name = "migrate", Image = "web:1" }];

        var result = PodInjector.Inject(pod, null, false, new InjectionOptions());

        Assert.Equal(["palisade-iptables", "palisade", "migrate"], result.Pod!.Spec.InitContainers.Select(c => c.Name));
        var node = result.Pod.Spec.InitContainers[1];
        Assert.Equal("Always", node.RestartPolicy);
        Assert.Equal(["web"], result.Pod.Spec.Containers.Select(c => c.Name));
    }

    [Fact]
    public void W07_The_sidecar_runs_with_least_privilege_and_the_iptables_step_only_with_network_capabilities()
    {
        var result = PodInjector.Inject(InjectionDeciderTests.Pod("enabled", null), null, false, new InjectionOptions());
        var node = result.Pod!.Spec.InitContainers.Single(c => c.Name == "palisade");
        var iptables = result.Pod.Spec.InitContainers.Single(c => c.Name == "palisade-iptables");

        Assert.True(node.SecurityContext.RunAsNonRoot);
        Assert.True(node.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(node.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], node.SecurityContext.Capabilities.Drop);
        Assert.Null(node.SecurityContext.Capabilities.Add);
        Assert.Equal("RuntimeDefault", node.SecurityContext.SeccompProfile.Type);
        Assert.Equal(["NET_ADMIN", "NET_RAW"], iptables.SecurityContext.Capabilities.Add);
        Assert.Equal(["ALL"], iptables.SecurityContext.Capabilities.Drop);
        Assert.Equal("/healthz", node.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", node.ReadinessProbe.HttpGet.Path);
        Assert.NotNull(node.StartupProbe);
        Assert.NotNull(node.Lifecycle.PreStop.Sleep);
    }

    [Fact]
    public void No_value_of_the_rendered_pod_is_a_secret_literal()
    {
        var pod = InjectionDeciderTests.Pod("enabled", null);
        pod.Metadata.Annotations = new Dictionary<string, string> { [InjectionAnnotations.ConfigMap] = "waf" };

        var result = PodInjector.Inject(pod, null, false, new InjectionOptions());
        var json = ModelJson.Serialize(result.Pod!);

        var env = result.Pod!.Spec.InitContainers.Single(c => c.Name == "palisade").Env;
        Assert.All(env, e => Assert.DoesNotMatch("(?i)password|secret|token|key", e.Name));
        Assert.DoesNotContain("secretKeyRef", json, StringComparison.Ordinal);
        Assert.Contains("\"configMap\":{\"name\":\"waf\"}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_setting_changes_the_config_hash()
    {
        var first = PodInjector.Inject(InjectionDeciderTests.Pod("enabled", null), null, false, new InjectionOptions());
        var second = PodInjector.Inject(InjectionDeciderTests.Pod("enabled", null), null, false, new InjectionOptions { Mode = "block" });
        var again = PodInjector.Inject(InjectionDeciderTests.Pod("enabled", null), null, false, new InjectionOptions());

        var hash = (InjectionResult r) => r.Pod!.Metadata.Annotations[InjectionAnnotations.ConfigHash];
        Assert.NotEqual(hash(first), hash(second));
        Assert.Equal(hash(first), hash(again));
        Assert.StartsWith("sha256:", hash(first), StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_that_only_shares_the_sidecars_name_is_never_replaced()
    {
        var pod = InjectionDeciderTests.Pod("enabled", null);
        pod.Spec.Containers.Add(new V1Container { Name = "palisade", Image = "someone-elses:1" });

        var result = PodInjector.Inject(pod, null, false, new InjectionOptions());

        Assert.Equal(InjectionOutcome.Skipped, result.Outcome);
        Assert.Equal(SkipReason.AlreadyInjected, result.SkipReason);
        Assert.Empty(result.Patch);
    }

    [Fact]
    public void An_injected_pod_whose_settings_changed_gets_its_sidecar_rendered_again()
    {
        var first = PodInjector.Inject(InjectionDeciderTests.Pod("enabled", null), null, false, new InjectionOptions());

        var same = PodInjector.Inject(first.Pod!, null, false, new InjectionOptions());
        var changed = PodInjector.Inject(first.Pod!, null, false, new InjectionOptions { Mode = "block", NativeSidecar = false });

        Assert.Equal(InjectionOutcome.Skipped, same.Outcome);
        Assert.Equal(InjectionOutcome.Injected, changed.Outcome);
        Assert.True(changed.Updated);
        Assert.Equal(["palisade-iptables"], changed.Pod!.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal(["web", "palisade"], changed.Pod.Spec.Containers.Select(c => c.Name));
        Assert.Contains(changed.Pod.Spec.Containers[1].Env, e => e.Name == "PALISADE_MODE" && e.Value == "block");
        var patched = JsonPatchApplier.Apply(PodInjector.ToJson(first.Pod!), changed.Patch);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(PodInjector.ToJson(changed.Pod), patched));
    }

    [Fact]
    public void A_denied_pod_gets_no_patch_and_a_message_naming_the_annotation()
    {
        var pod = InjectionDeciderTests.Pod("enabled", null);
        pod.Metadata.Annotations = new Dictionary<string, string> { [InjectionAnnotations.Mode] = "on" };

        var result = PodInjector.Inject(pod, null, false, new InjectionOptions());

        Assert.Equal(InjectionOutcome.Denied, result.Outcome);
        Assert.Empty(result.Patch);
        Assert.Contains("palisade.io/mode: 'on' is not allowed: use one of off, monitoring, safe_blocking, block", result.Describe(), StringComparison.Ordinal);
    }
}
