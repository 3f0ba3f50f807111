using k8s.Models;
using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Tests.Injection;

public sealed class SidecarSettingsReaderTests
{
    private static readonly InjectionOptions Options = new();

    [Fact]
    public void Defaults_apply_without_annotations()
    {
        var settings = SidecarSettingsReader.Read(Pod(), Options, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal("monitoring", settings.Mode);
        Assert.Equal(CaptureMode.Iptables, settings.Capture);
        Assert.Equal(8080, settings.ApplicationPort);
        Assert.Equal(9900, settings.ListenPort);
        Assert.Equal(9901, settings.AdminPort);
        Assert.Null(settings.InspectionLimit);
    }

    [Theory]
    [InlineData(null, new[] { "metrics:9090", "http:3000" }, 3000)]
    [InlineData(null, new[] { "metrics:9090", "web:3000" }, 9090)]
    [InlineData(null, new string[0], 8080)]
    [InlineData("4000", new[] { "http:3000" }, 4000)]
    public void The_application_port_comes_from_the_annotation_then_the_http_port_then_the_first_port(string? annotation, string[] ports, int expected)
    {
        var pod = Pod(annotation is null ? [] : [(InjectionAnnotations.ApplicationPort, annotation)]);
        pod.Spec.Containers[0].Ports = ports.Select(p => new V1ContainerPort { Name = p.Split(':')[0], ContainerPort = int.Parse(p.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) }).ToList();

        var settings = SidecarSettingsReader.Read(pod, Options, out _);

        Assert.Equal(expected, settings!.ApplicationPort);
    }

    [Theory]
    [InlineData(InjectionAnnotations.Mode, "BLOCK", "off, monitoring, safe_blocking, block")]
    [InlineData(InjectionAnnotations.Capture, "tproxy", "iptables, service")]
    [InlineData(InjectionAnnotations.ListenPort, "0", "1 to 65535")]
    [InlineData(InjectionAnnotations.ListenPort, "8080", "application port")]
    [InlineData(InjectionAnnotations.AdminPort, "9900", "port of its own")]
    [InlineData(InjectionAnnotations.ApplicationPort, "-1", "1 to 65535")]
    [InlineData(InjectionAnnotations.CpuRequest, "fast", "quantity")]
    [InlineData(InjectionAnnotations.MemoryRequest, "1Gi", "limit")]
    [InlineData(InjectionAnnotations.InspectionLimit, "0", "size")]
    [InlineData(InjectionAnnotations.InspectionLimit, "1.5", "size")]
    [InlineData(InjectionAnnotations.ConfigMap, "-waf", "ConfigMap name")]
    [InlineData(InjectionAnnotations.FailOpen, "yes", "true, false")]
    [InlineData(InjectionAnnotations.BlockStatus, "200", "400 to 599")]
    [InlineData(InjectionAnnotations.LogFormat, "logfmt", "text, json")]
    [InlineData(InjectionAnnotations.Image, "", "image reference")]
    public void W06_A_bad_value_is_an_error_naming_the_annotation_and_the_allowed_values(string annotation, string value, string allowed)
    {
        var settings = SidecarSettingsReader.Read(Pod([(annotation, value)]), Options, out var errors);

        Assert.Null(settings);
        var error = Assert.Single(errors);
        Assert.Equal(annotation, error.Annotation);
        Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantities_and_sizes_are_read_as_kubernetes_quantities()
    {
        var settings = SidecarSettingsReader.Read(
            Pod([(InjectionAnnotations.InspectionLimit, "512Ki"), (InjectionAnnotations.CpuLimit, "0.5"), (InjectionAnnotations.MemoryLimit, "1Gi"), (InjectionAnnotations.FailOpen, "false")]),
            Options,
            out var errors);

        Assert.Empty(errors);
        Assert.Equal(512 * 1024, settings!.InspectionLimit);
        Assert.Equal("0.5", settings.CpuLimit);
        Assert.False(settings.FailOpen);
    }

    private static V1Pod Pod(IEnumerable<(string Key, string Value)>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Annotations = (annotations ?? []).ToDictionary(a => a.Key, a => a.Value) },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "web:1" }] },
    };
}
