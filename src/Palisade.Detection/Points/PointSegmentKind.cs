namespace Palisade.Detection.Points;

/// <summary>How a point's last segment relates to its parent.</summary>
public enum PointSegmentKind
{
    /// <summary>A top-level part of the request: <c>query</c>, <c>header</c>, <c>body.json</c>.</summary>
    Root,

    /// <summary>A named member: a parameter, a header, a JSON property (<c>.name</c>).</summary>
    Key,

    /// <summary>A position: a path segment or an array element (<c>.0</c>).</summary>
    Index,

    /// <summary>The name of the parent member itself rather than its value (<c>#name</c>).</summary>
    Name,

    /// <summary>The parent's value after a decoder ran on it (<c>|percent</c>).</summary>
    Decoded,
}
