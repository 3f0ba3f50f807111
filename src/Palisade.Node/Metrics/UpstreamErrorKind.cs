namespace Palisade.Node.Metrics;

/// <summary>Why forwarding failed, as counted in <c>palisade_upstream_errors_total{kind}</c>.</summary>
public enum UpstreamErrorKind
{
    /// <summary>The application could not be reached (refused, unreachable, connect timeout): 502.</summary>
    Connect,

    /// <summary>The application did not answer in time: 504.</summary>
    Timeout,

    /// <summary>The application's response was malformed or cut short.</summary>
    Response,

    /// <summary>Sending the request body to the application failed.</summary>
    RequestBody,

    /// <summary>The client went away mid-exchange.</summary>
    ClientAborted,

    /// <summary>
    /// The client stopped reading the response (a slow read): no write to it completed within the upstream timeout,
    /// so the connection was dropped and the application's connection released.
    /// </summary>
    ClientStalled,

    /// <summary>Anything else.</summary>
    Other,
}
