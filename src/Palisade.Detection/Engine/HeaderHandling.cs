namespace Palisade.Detection.Engine;

/// <summary>How the engine treats a header's values.</summary>
internal enum HeaderHandling
{
    /// <summary>Inspected as a value (and its URL query, when it holds an absolute URL).</summary>
    Inspect,

    /// <summary>Framing or a field whose syntax the server enforces: not inspected.</summary>
    Skip,

    /// <summary>The <c>Cookie</c> header: split into <c>cookie.NAME</c> points.</summary>
    Cookie,
}
