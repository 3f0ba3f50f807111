using System.Text.RegularExpressions;

namespace Palisade.Detection.Rules;

/// <summary>
/// The value condition of a virtual patch or allow rule: equal to a literal, containing it, matching a glob
/// (<c>*</c> any run, <c>?</c> one character) or a bounded regular expression. Regular expressions run on the
/// non-backtracking engine, whose time is linear in the value, under a timeout besides; a value that still
/// exhausts the timeout counts as a match (a rule that blocks fails closed on adversarial input).
/// </summary>
public sealed class ValueMatcher
{
    public const int MaxPatternLength = 1024;

    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Regex? _regex;

    private ValueMatcher(ValueMatchKind kind, string pattern, bool ignoreCase, Regex? regex)
    {
        Kind = kind;
        Pattern = pattern;
        IgnoreCase = ignoreCase;
        _regex = regex;
    }

    public ValueMatchKind Kind { get; }

    public string Pattern { get; }

    public bool IgnoreCase { get; }

    public static ValueMatcher? TryCreate(ValueMatchKind kind, string? pattern, bool ignoreCase, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(pattern))
        {
            error = "the value to match cannot be empty";
            return null;
        }

        if (pattern.Length > MaxPatternLength)
        {
            error = $"the value to match is longer than {MaxPatternLength} characters";
            return null;
        }

        Regex? regex = null;
        if (kind == ValueMatchKind.Regex)
        {
            try
            {
                var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : 0);
                regex = new Regex(pattern, options, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                error = $"invalid regular expression: {e.Message}";
                return null;
            }
            catch (NotSupportedException e)
            {
                // Backreferences, lookarounds and atomic groups need backtracking: not offered.
                error = $"regular expression not supported (no backreferences or lookarounds): {e.Message}";
                return null;
            }
        }

        return new ValueMatcher(kind, pattern, ignoreCase, regex);
    }

    public bool Matches(ReadOnlySpan<char> value)
    {
        var comparison = IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        switch (Kind)
        {
            case ValueMatchKind.Equals:
                return value.Equals(Pattern, comparison);
            case ValueMatchKind.Contains:
                return value.Contains(Pattern, comparison);
            case ValueMatchKind.Glob:
                return GlobMatcher.IsMatch(Pattern, value, separators: default, IgnoreCase);
            default:
                try
                {
                    return _regex!.IsMatch(value);
                }
                catch (RegexMatchTimeoutException)
                {
                    return true;
                }
        }
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Pattern}";
}
