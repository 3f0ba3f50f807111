namespace Palisade.Node.Blocking;

/// <summary>The answers the node gives itself instead of the application's.</summary>
public enum LocalResponse
{
    /// <summary>The request was blocked as an attack.</summary>
    Blocked,

    /// <summary>The body is larger than the inspection limit and the policy is to reject: 413.</summary>
    PayloadTooLarge,

    /// <summary>The request-target cannot be forwarded (asterisk- or authority-form): 400.</summary>
    BadTarget,

    /// <summary>The request's framing broke off in its body (the front door found a violation there): 400.</summary>
    BadRequestBody,

    /// <summary>The request body arrived slower than the minimum data rate: 408.</summary>
    RequestTimeout,

    /// <summary>The application could not be reached or answered badly: 502.</summary>
    BadGateway,

    /// <summary>The application did not answer in time: 504.</summary>
    GatewayTimeout,

    /// <summary>Inspection failed and the node fails closed: 503.</summary>
    InspectionUnavailable,

    /// <summary>Memory is near the limit and new requests are shed: 503 with Retry-After.</summary>
    Overloaded,

    /// <summary>A rate limit refused the request: 429 with Retry-After (set by the caller).</summary>
    RateLimited,
}
