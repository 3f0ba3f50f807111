using k8s.Models;
using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Install;

/// <summary>
/// Which pods are meant to get the sidecar, as label selectors: the mutating webhook that injects them and the
/// admission policy that flags the ones created without it select the same pods.
/// </summary>
public sealed record InjectionScope(string Name, V1LabelSelector Namespaces, V1LabelSelector Pods)
{
    /// <summary>Pods labelled <c>palisade.io/inject: enabled</c>, then pods without that label in namespaces so labelled; never kube-system or the injector's own namespace.</summary>
    public static IReadOnlyList<InjectionScope> All(InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var notExcluded = new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "NotIn", Values = ["kube-system", options.Namespace, .. options.Injection.ExcludedNamespaces] };
        return
        [
            new(
                "pod",
                new V1LabelSelector { MatchExpressions = [notExcluded] },
                new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [InjectionAnnotations.Inject] = InjectionAnnotations.Enabled } }),
            new(
                "namespace",
                new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [InjectionAnnotations.Inject] = InjectionAnnotations.Enabled }, MatchExpressions = [notExcluded] },
                new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = InjectionAnnotations.Inject, OperatorProperty = "DoesNotExist" }] }),
        ];
    }
}
