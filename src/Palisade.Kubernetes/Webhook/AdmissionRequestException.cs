namespace Palisade.Kubernetes.Webhook;

/// <summary>A body that is not an AdmissionReview the webhook can answer: the server replies 400 with the message.</summary>
public sealed class AdmissionRequestException : Exception
{
    public AdmissionRequestException(string message)
        : base(message)
    {
    }

    public AdmissionRequestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public AdmissionRequestException()
    {
    }
}
