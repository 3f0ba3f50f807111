using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Ldapi;

/// <summary>
/// Detects LDAP filter injection (RFC 4515): a value that, put inside the application's filter
/// <c>(attr=VALUE)</c>, closes that filter and opens another (<c>x)(uid=*</c>, <c>admin)(|(cn=*)</c>,
/// <c>*)(&amp;</c>), composes a filter of its own (<c>*(|(objectClass=*))</c>), or closes it and truncates the rest
/// (<c>*))%00</c>). Parentheses in text (<c>see (below)</c>, <c>f(x) (y)</c>) do not read that way: a reopened
/// filter must start with an operator (<c>&amp; | !</c>) or an attribute and a filter comparison, and
/// <c>\2a \28 \29</c> escapes are read as the characters they stand for.
/// </summary>
public sealed class LdapiDetector : IDetector
{
    // Parentheses, and the backslash of their \28 \29 escapes.
    private const string SpecialsText = "()\\";

    private static readonly SearchValues<char> Specials = SearchValues.Create(SpecialsText);

    private static readonly SearchValues<char> AttributeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.;_");

    public string Id => "ldapi.filter";

    public AttackType AttackType => AttackType.Ldapi;

    public string RequiredCharacters => SpecialsText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        var first = value.IndexOfAny(Specials);
        if (first < 0)
        {
            return false;
        }

        // Only parentheses and escapes act; the scan jumps from one to the next.
        for (var i = first; i >= 0 && i < value.Length;)
        {
            var c = Char(value, i, out var width);
            if (c == ')')
            {
                var end = AfterClose(value, i + width);
                if (end > 0)
                {
                    match = new DetectorMatch("LDAP filter break-out", i, end - i, 80);
                    return true;
                }
            }
            else if (c == '(')
            {
                var end = Composition(value, i + width, allowAssertion: false);
                if (end > 0)
                {
                    match = new DetectorMatch("LDAP filter composition", i, end - i, 75);
                    return true;
                }
            }

            i += width;
            var next = value[i..].IndexOfAny(Specials);
            i = next < 0 ? -1 : i + next;
        }

        return false;
    }

    // After a ')': another filter opens, or the filter closes again and the rest is cut off.
    private static int AfterClose(ReadOnlySpan<char> s, int i)
    {
        var j = SkipSpaces(s, i);
        var c = Char(s, j, out var width);
        if (c is '|' or '&' or '!')
        {
            // )|(uid=*   )!(sn=*   ()|&
            var k = SkipSpaces(s, j + width);
            var d = Char(s, k, out var w2);
            return d == '(' || (c == '|' && d == '&') || (c == '&' && d == ')') ? Math.Min(k + w2, s.Length) : 0;
        }

        if (c == '(')
        {
            return Composition(s, j + width, allowAssertion: true) is var end and > 0 ? end : 0;
        }

        if (c == ')')
        {
            // *))%00, (cn=))\x00: closing past the application's filter and cutting what follows.
            var k = j + width;
            var run = 0;
            while (k < s.Length && run++ < 8 && Char(s, k, out var w3) == ')')
            {
                k += w3;
            }

            var wildcard = i >= 2 && Char(s, i - 2, out _) is '*' or '=';
            return IsNul(s, k) || Char(s, k, out _) == '(' || (wildcard && k >= s.Length) ? Math.Min(k + 1, s.Length) : 0;
        }

        return IsNul(s, j) ? j + 1 : 0;
    }

    // After a '(': an operator that starts a filter (& | !), a nested '(' with one, or attr=, attr~=, attr>=, attr<=.
    private static int Composition(ReadOnlySpan<char> s, int i, bool allowAssertion)
    {
        var j = SkipSpaces(s, i);
        var c = Char(s, j, out var width);
        if (c is '&' or '|' or '!')
        {
            var k = SkipSpaces(s, j + width);
            var d = Char(s, k, out var w2);
            return d == '(' || (allowAssertion && (d == ')' || k >= s.Length)) ? Math.Min(k + w2, s.Length) : 0;
        }

        if (c == '(')
        {
            var k = SkipSpaces(s, j + width);
            return Char(s, k, out var w2) is '&' or '|' or '!' ? k + w2 : 0;
        }

        if (!allowAssertion)
        {
            return 0;
        }

        var rest = s[Math.Min(j, s.Length)..];
        var name = rest.IndexOfAnyExcept(AttributeChars);
        if (name < 1 || name > 64 || !char.IsAsciiLetterOrDigit(rest[0]))
        {
            return 0;
        }

        var op = rest[name..];
        if (op[0] == '=' || (op.Length > 1 && op[0] is '~' or '>' or '<' && op[1] == '='))
        {
            // The assertion value must look like a filter's: a wildcard, or a value closed by ')' or the end.
            var value = op[(op[0] == '=' ? 1 : 2)..];
            var stop = value.IndexOfAny('(', ')');
            var assertion = stop < 0 ? value : value[..stop];
            if (assertion.Contains('*') || stop < 0 || value[stop] == ')')
            {
                return Math.Min(s.Length, j + name + 1);
            }
        }

        return 0;
    }

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static bool IsNul(ReadOnlySpan<char> s, int i) =>
        i < s.Length && (s[i] == '\0' || s[i..].StartsWith("%00", StringComparison.Ordinal) || s[i..].StartsWith("\\x00", StringComparison.Ordinal)
            || s[i..].StartsWith("\\00", StringComparison.Ordinal));

    // The character at i, reading the RFC 4515 escapes of the filter's special characters (\28 \29 \2a \7c \26 \21).
    private static char Char(ReadOnlySpan<char> s, int i, out int width)
    {
        width = 1;
        if (i >= s.Length)
        {
            return '\uffff';
        }

        if (s[i] == '\\' && i + 2 < s.Length)
        {
            var escaped = (s[i + 1], char.ToLowerInvariant(s[i + 2])) switch
            {
                ('2', '8') => '(',
                ('2', '9') => ')',
                ('2', 'a') => '*',
                ('7', 'c') => '|',
                ('2', '6') => '&',
                ('2', '1') => '!',
                _ => '\0',
            };
            if (escaped != '\0')
            {
                width = 3;
                return escaped;
            }
        }

        return s[i];
    }
}
