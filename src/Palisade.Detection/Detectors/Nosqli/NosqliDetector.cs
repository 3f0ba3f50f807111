using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Nosqli;

/// <summary>
/// Detects NoSQL (MongoDB) injection: query operators where the application expects a plain value, either as a
/// parameter or key name (<c>user[$ne]=x</c>, <c>{"password": {"$gt": ""}}</c>) or written as an object inside a
/// value (<c>{"$gt": ""}</c>, <c>', $where: '1 == 1'</c>); and server-side JavaScript reached through
/// <c>$where</c> or a string break-out (<c>' &amp;&amp; this.password.match(/.*/)//</c>, <c>';return true;var x='</c>,
/// <c>';sleep(5000);</c>, <c>|| 1==1</c>, <c>db.users.insert(...)</c>). An operator counts only in the position
/// of a key (after <c>{</c>, <c>[</c>, <c>,</c> or at the start, and before <c>:</c> or <c>]</c>), so prices and
/// shell variables (<c>$in 2 days</c>, <c>$HOME</c>) pass.
/// </summary>
public sealed class NosqliDetector : IDetector
{
    private const string TriggersText = "$'\";|&.=";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggersText);

    private static readonly string[] DbMethods =
    [
        "insert", "insertOne", "insertMany", "find", "findOne", "update", "updateOne", "updateMany", "remove",
        "deleteOne", "deleteMany", "drop", "mapReduce", "aggregate", "save", "count",
    ];

    public string Id => "nosqli.operator";

    public AttackType AttackType => AttackType.Nosqli;

    public string RequiredCharacters => TriggersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (!origin.Characters.ContainsAny(value, TriggerMask, Triggers))
        {
            return false;
        }

        if (FindOperator(value, origin.IsName, out var start, out var length))
        {
            match = new DetectorMatch(origin.IsName ? "query operator in parameter name" : "query operator in value", start, length, 80);
            return true;
        }

        if (origin.IsName)
        {
            return false;
        }

        var reason = JavaScript(value, out start, out length);
        if (reason is not null)
        {
            match = new DetectorMatch(reason, start, length, 75);
            return true;
        }

        return false;
    }

    private static bool FindOperator(ReadOnlySpan<char> s, bool isName, out int start, out int length)
    {
        var from = 0;
        while (from < s.Length)
        {
            var at = s[from..].IndexOf('$');
            if (at < 0)
            {
                break;
            }

            var d = from + at;
            from = d + 1;
            var name = MongoOperators.NameAfter(s, d);
            if (!MongoOperators.Contains(name))
            {
                continue;
            }

            var before = d > 0 ? s[d - 1] : '\0';
            var after = d + 1 + name.Length;
            var next = after < s.Length ? s[after] : '\0';
            start = d;
            length = name.Length + 1;
            if (isName)
            {
                if (before is '\0' or '[' or '.' && next is '\0' or ']' or '.')
                {
                    return true;
                }

                continue;
            }

            if (before is not ('\0' or '{' or '[' or ',' or ' ' or '"' or '\''))
            {
                continue;
            }

            // A key: its closing quote, then ':'; or [$op] as a bracketed name.
            var k = after;
            if (before is '"' or '\'' && k < s.Length && s[k] == before)
            {
                k++;
            }

            while (k < s.Length && s[k] == ' ')
            {
                k++;
            }

            if (k < s.Length && (s[k] == ':' || (before == '[' && s[k] == ']')))
            {
                return true;
            }
        }

        start = 0;
        length = 0;
        return false;
    }

    private static string? JavaScript(ReadOnlySpan<char> s, out int start, out int length)
    {
        start = 0;
        length = 0;
        var trimmed = s.TrimStart();
        var lead = s.Length - trimmed.Length;

        // '; ...  ' && ...  " || ...: the string the application put the value in is closed and JavaScript follows.
        if (trimmed.Length > 2 && trimmed[0] is '\'' or '"')
        {
            var rest = trimmed[1..].TrimStart();
            if ((rest.StartsWith(";") || rest.StartsWith("&&") || rest.StartsWith("||")) && rest.TrimStart(";&| ").Length > 0
                && char.IsAsciiLetter(rest.TrimStart(";&| ")[0]) | rest.TrimStart(";&| ")[0] is '\'' or '"' or '(')
            {
                start = lead;
                length = Math.Min(s.Length - lead, trimmed.Length - rest.Length + 2);
                return "JavaScript after string break-out";
            }
        }

        var at = s.IndexOf("this.", StringComparison.Ordinal);
        if (at >= 0)
        {
            var k = at + 5;
            while (k < s.Length && (char.IsAsciiLetterOrDigit(s[k]) || s[k] == '_'))
            {
                k++;
            }

            var tail = s[k..].TrimStart();
            if (k > at + 5 && (tail.StartsWith(".match(") || tail.StartsWith("==") || tail.StartsWith("!=") || tail.StartsWith(".length")))
            {
                start = at;
                length = k - at;
                return "$where JavaScript on document fields";
            }
        }

        if (ReturnAfterStatement(s, out start, out length))
        {
            return "JavaScript statement injection";
        }

        if (Tautology(s, out start, out length))
        {
            return "JavaScript tautology";
        }

        if (DbCall(s, out start, out length))
        {
            return "MongoDB shell call";
        }

        return null;
    }

    // 0;return true   ";return(true)   ';sleep(5000)
    private static bool ReturnAfterStatement(ReadOnlySpan<char> s, out int start, out int length)
    {
        var from = 0;
        while (from < s.Length)
        {
            var at = s[from..].IndexOf(';');
            if (at < 0)
            {
                break;
            }

            var semi = from + at;
            from = semi + 1;
            var before = semi > 0 ? s[semi - 1] : '\0';
            if (!(char.IsAsciiDigit(before) || before is '\'' or '"' or ')'))
            {
                continue;
            }

            var rest = s[(semi + 1)..].TrimStart(' ');
            foreach (var word in (ReadOnlySpan<string>)["return", "sleep("])
            {
                if (rest.StartsWith(word, StringComparison.Ordinal) && (word[^1] == '(' || rest.Length == word.Length || rest[word.Length] is ' ' or '(' or '\''))
                {
                    start = semi;
                    length = s.Length - rest.Length - semi + word.Length;
                    return true;
                }
            }
        }

        start = 0;
        length = 0;
        return false;
    }

    // || 1==1, && 'a'=='a': the same literal on both sides of ==, after a logical operator.
    private static bool Tautology(ReadOnlySpan<char> s, out int start, out int length)
    {
        start = 0;
        length = 0;
        var logic = s.IndexOf("||", StringComparison.Ordinal);
        if (logic < 0)
        {
            logic = s.IndexOf("&&", StringComparison.Ordinal);
        }

        if (logic < 0)
        {
            return false;
        }

        var eq = s[logic..].IndexOf("==", StringComparison.Ordinal);
        if (eq < 0)
        {
            return false;
        }

        eq += logic;
        var left = s[(logic + 2)..eq].Trim();
        var right = s[(eq + 2)..].TrimStart('=').TrimStart();
        if (left.IsEmpty || left.Length > 32 || right.Length < left.Length || !right.StartsWith(left, StringComparison.Ordinal))
        {
            return false;
        }

        start = logic;
        length = eq + 2 - logic + left.Length;
        return Math.Min(length, s.Length - start) == length;
    }

    // db.collection.insert(
    private static bool DbCall(ReadOnlySpan<char> s, out int start, out int length)
    {
        start = 0;
        length = 0;
        var at = s.IndexOf("db.", StringComparison.Ordinal);
        if (at < 0 || (at > 0 && char.IsAsciiLetterOrDigit(s[at - 1])))
        {
            return false;
        }

        var k = at + 3;
        while (k < s.Length && (char.IsAsciiLetterOrDigit(s[k]) || s[k] == '_'))
        {
            k++;
        }

        if (k == at + 3 || k >= s.Length || s[k] != '.')
        {
            return false;
        }

        var rest = s[(k + 1)..];
        foreach (var method in DbMethods)
        {
            if (rest.StartsWith(method, StringComparison.Ordinal) && rest.Length > method.Length && rest[method.Length] == '(')
            {
                start = at;
                length = k + 1 + method.Length - at;
                return true;
            }
        }

        return false;
    }
}
