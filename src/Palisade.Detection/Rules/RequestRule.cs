namespace Palisade.Detection.Rules;

/// <summary>
/// A virtual patch or an allow rule: requests matching <see cref="Scope"/> whose <see cref="Point"/> (any point
/// when null) holds a value matching <see cref="Value"/> (any value when null). With neither, every request in
/// scope: <c>block /admin</c> is a rule with a path and nothing else.
/// </summary>
public sealed record RequestRule(string Name, RequestRuleAction Action, RequestMatcher Scope, PointPattern? Point, ValueMatcher? Value)
{
    /// <summary>True when the rule decides from the request line and host alone, before any value is inspected.</summary>
    public bool IsUnconditional => Point is null && Value is null;

    public bool MatchesValue(string point, ReadOnlySpan<char> value) =>
        (Point is null || Point.Matches(point)) && (Value is null || Value.Matches(value));
}
