using k8s.Models;
using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Install;

/// <summary>
/// A ValidatingAdmissionPolicy that flags pods created without the sidecar although the injector's scope selects
/// them: with <c>failurePolicy: Ignore</c>, a pod admitted while the injector was down. The API server evaluates it
/// itself (CEL, no webhook), after every mutating webhook, so it holds exactly when the injector does not: the client
/// gets a warning, the audit log a validation failure, and the API server's
/// <c>apiserver_validating_admission_policy_check_total</c> counts it, to alert on. It never denies: under <c>Fail</c>
/// such a pod is never created in the first place, and under <c>Ignore</c> the operator chose availability.
/// </summary>
public static class UnprotectedPodPolicy
{
    public const string Name = "palisade-unprotected-pods";

    public static V1ValidatingAdmissionPolicy Policy() => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingAdmissionPolicy",
        Metadata = new V1ObjectMeta { Name = Name },
        Spec = new V1ValidatingAdmissionPolicySpec
        {
            FailurePolicy = "Ignore",
            MatchConstraints = new V1MatchResources
            {
                ResourceRules = [new V1NamedRuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"] }],
            },
            // The pods the injector leaves alone on purpose (InjectionDecider): opted out by annotation, host network.
            MatchConditions =
            [
                new V1MatchCondition
                {
                    Name = "not-opted-out",
                    Expression = $"!has(object.metadata.annotations) || !('{InjectionAnnotations.Inject}' in object.metadata.annotations) || !(object.metadata.annotations['{InjectionAnnotations.Inject}'] in ['{InjectionAnnotations.Disabled}', 'false'])",
                },
                new V1MatchCondition { Name = "not-host-network", Expression = "!has(object.spec.hostNetwork) || !object.spec.hostNetwork" },
            ],
            Validations =
            [
                new V1Validation
                {
                    Expression = $"object.spec.containers.exists(c, c.name == '{SidecarRenderer.NodeContainerName}') || (has(object.spec.initContainers) && object.spec.initContainers.exists(c, c.name == '{SidecarRenderer.NodeContainerName}'))",
                    Message = "created without the Palisade sidecar: the injector did not answer and the webhook's failurePolicy is Ignore, so this pod's traffic is not inspected; recreate it once the injector is back",
                    Reason = "Forbidden",
                },
            ],
        },
    };

    /// <summary>One binding per injection scope: warn the client and record the failure in the audit log.</summary>
    public static IEnumerable<V1ValidatingAdmissionPolicyBinding> Bindings(InstallOptions options) =>
        InjectionScope.All(options).Select(scope => new V1ValidatingAdmissionPolicyBinding
        {
            ApiVersion = "admissionregistration.k8s.io/v1",
            Kind = "ValidatingAdmissionPolicyBinding",
            Metadata = new V1ObjectMeta { Name = $"{Name}-{scope.Name}" },
            Spec = new V1ValidatingAdmissionPolicyBindingSpec
            {
                PolicyName = Name,
                ValidationActions = ["Warn", "Audit"],
                MatchResources = new V1MatchResources { NamespaceSelector = scope.Namespaces, ObjectSelector = scope.Pods },
            },
        });
}
