namespace Palisade.Detection.Rules;

/// <summary>How a rule compares a point's value.</summary>
public enum ValueMatchKind
{
    Equals,
    Contains,
    Glob,

    /// <summary>A .NET regular expression run by the non-backtracking engine (linear in the value), with a timeout.</summary>
    Regex,
}
