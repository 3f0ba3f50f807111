namespace Palisade.Node.Configuration;

/// <summary>What happens to a request whose body is larger than the inspection limit.</summary>
public enum OversizePolicy
{
    /// <summary>Inspect the first <c>inspection-limit</c> bytes, then pass the whole body on.</summary>
    InspectPrefixAndPass,

    /// <summary>Answer 413 without forwarding anything.</summary>
    Reject,
}
