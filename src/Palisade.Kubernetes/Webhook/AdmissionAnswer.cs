using System.Text.Json.Nodes;

namespace Palisade.Kubernetes.Webhook;

/// <summary>
/// The AdmissionReview to send back, and what it came to for logs and metrics: <c>Pod</c> is <c>namespace/name</c>,
/// <c>Outcome</c> one of <c>injected</c>, <c>skipped</c>, <c>denied</c>, <c>ignored</c> (not a pod creation),
/// <c>Reason</c> the skip reason's code or the denial message.
/// </summary>
public sealed record AdmissionAnswer(JsonObject Review, string Pod, string Outcome, string Reason);
