namespace Palisade.Detection.Rules;

/// <summary>Which of a <see cref="RulePath"/>'s two readings a pattern is compared with.</summary>
public enum PathReading
{
    /// <summary><see cref="RulePath.Value"/>: every spelling resolved as far as any server would.</summary>
    Resolved,

    /// <summary><see cref="RulePath.Literal"/>: resolved no further than Kestrel does.</summary>
    Literal,

    /// <summary><see cref="RulePath.Raw"/>: the path as sent, neither decoded nor resolved.</summary>
    Raw,
}
