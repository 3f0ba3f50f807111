namespace Palisade.Detection.Rules;

/// <summary>How a route or rule compares its path with the request's <see cref="RulePath"/>.</summary>
public enum PathMatchKind
{
    /// <summary>The path itself or anything below it (<c>/api</c>: <c>/api</c>, <c>/api/users</c>, not <c>/apix</c>).</summary>
    Prefix,

    /// <summary>The path itself (a trailing slash aside).</summary>
    Exact,

    /// <summary>A glob: <c>*</c> within one segment, <c>**</c> across segments (<c>/users/*/avatar</c>, <c>/static/**.js</c>).</summary>
    Glob,
}
