namespace Palisade.Kubernetes.Manifests;

/// <summary>A manifest that cannot be read or injected; the message names the document and what is wrong.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ManifestException()
    {
    }
}
