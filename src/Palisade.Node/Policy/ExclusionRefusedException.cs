namespace Palisade.Node.Policy;

/// <summary>
/// An exclusion that cannot be proposed as narrow as the request it comes from (a path or point that no pattern
/// spells exactly): refused rather than widened. The message says why, for the operator.
/// </summary>
public sealed class ExclusionRefusedException : Exception
{
    public ExclusionRefusedException()
    {
    }

    public ExclusionRefusedException(string message)
        : base(message)
    {
    }

    public ExclusionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
