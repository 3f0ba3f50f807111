using System.Buffers;
using Palisade.Detection.Detectors.CodeInjection;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Ssti;

/// <summary>
/// Detects server-side template injection: a template expression (<c>{{ }}</c>, <c>${ }</c>, <c>#{ }</c>,
/// <c>*{ }</c>, <c>&lt;%= %&gt;</c>, <c>{% %}</c>, <c>[[ ]]</c>) or directive (Freemarker <c>&lt;#assign</c>,
/// Velocity <c>#set(</c>, Smarty <c>{php}</c>) whose content evaluates code: arithmetic on literals (the
/// <c>{{7*7}}</c> probe), a dunder walk (<c>''.__class__.__mro__</c>), a call of a function that runs commands or
/// loads classes, a filter handed a command function (<c>|map('system')</c>), or a walk from the template's own
/// objects (<c>_self.env</c>, <c>self._TemplateReference__context</c>, <c>config.items()</c>, <c>T(java.lang.Runtime)</c>).
/// </summary>
/// <remarks>
/// A plain variable or filter template (<c>{{ user.name }}</c>, <c>{{ items|join(", ") }}</c>,
/// <c>{% for x in y %}</c>) names data and formats it: it is what template documentation is full of, and it passes.
/// Each delimiter's content is read once by <see cref="TemplateExpression"/>; a value without any opening
/// delimiter character costs one vectorized search.
/// </remarks>
public sealed class SstiDetector : IDetector
{
    // An expression longer than this is judged on its first part only: payloads are short, and the cap keeps
    // many unclosed openings linear.
    private const int MaxExpression = 2048;

    private const string OpenersText = "{<[#(";

    private static readonly SearchValues<char> Openers = SearchValues.Create(OpenersText);

    public string Id => "ssti.expression";

    public AttackType AttackType => AttackType.Ssti;

    public string RequiredCharacters => OpenersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (value.Length < 3 || value.IndexOfAny(Openers) < 0)
        {
            return false;
        }

        var best = FindDirective(value);
        var i = 0;
        while (i < value.Length - 1)
        {
            var next = value[i..].IndexOfAny(Openers);
            if (next < 0)
            {
                break;
            }

            i += next;
            var (openLength, close) = Opening(value, i);
            if (openLength == 0)
            {
                i++;
                continue;
            }

            var bodyStart = i + openLength;
            var limit = Math.Min(value.Length, bodyStart + MaxExpression);
            var closeAt = value[bodyStart..limit].IndexOf(close, StringComparison.Ordinal);
            var bodyEnd = closeAt < 0 ? limit : bodyStart + closeAt;
            var finding = TemplateExpression.Judge(value[bodyStart..bodyEnd]);
            if (finding.Found)
            {
                best = best.Max(finding with { Start = i, End = Math.Min(value.Length, bodyEnd + (closeAt < 0 ? 0 : close.Length)) });
            }

            // Continue after the body: each character is judged inside at most one expression, which keeps runs of
            // openings linear.
            i = Math.Max(bodyEnd, i + 1);
        }

        if (!best.Found)
        {
            return false;
        }

        match = new DetectorMatch(best.Reason, best.Start, best.End - best.Start, best.Score);
        return true;
    }

    // The opening delimiter at i (its length) and the text that closes it.
    private static (int Length, string Close) Opening(ReadOnlySpan<char> value, int i)
    {
        if (i + 1 >= value.Length)
        {
            return (0, "");
        }

        var c = value[i];
        var n = value[i + 1];
        return (c, n) switch
        {
            ('{', '{') => (2, "}}"),
            ('{', '%') => (2, "%}"),
            ('{', '#') => (0, ""),
            ('<', '%') => (i + 2 < value.Length && value[i + 2] is '=' or '-' ? 3 : 2, "%>"),
            ('[', '[') => (2, "]]"),
            ('#', '{') => (2, "}"),
            ('{', _) when i > 0 && value[i - 1] is '$' or '*' or '@' or '~' => (1, "}"),
            ('(', _) when i > 0 && value[i - 1] == '@' => (1, ")"),
            _ => (0, ""),
        };
    }

    // Directives that need no expression to be dangerous: Freemarker's Execute, Velocity's #set, Smarty's {php}.
    private static CodeFinding FindDirective(ReadOnlySpan<char> value)
    {
        // Sound pre-filter: every directive but Freemarker's Execute class holds a '#' or a '{' (characters no
        // other character equals ignoring case).
        var marked = value.ContainsAny('#', '{');
        var assign = marked ? value.IndexOf("<#assign", StringComparison.OrdinalIgnoreCase) : -1;
        if (assign >= 0 && value[assign..].Contains("?new(", StringComparison.Ordinal))
        {
            return new CodeFinding("Freemarker class instantiation", assign, value.Length, 90);
        }

        if (assign >= 0)
        {
            // <#assign x=owc.getField("DEFAULT_WRAPPER").get(null)>: the assigned expression is judged as any other.
            var end = value[assign..].IndexOf('>');
            var stop = end < 0 ? value.Length : assign + end;
            var judged = TemplateExpression.Judge(value[(assign + 8)..stop]);
            if (judged.Found)
            {
                return judged with { Start = assign, End = Math.Min(value.Length, stop + 1) };
            }
        }

        var execute = value.IndexOf("freemarker.template.utility.", StringComparison.OrdinalIgnoreCase);
        if (execute >= 0)
        {
            return new CodeFinding("Freemarker class instantiation", execute, execute + 28, 85);
        }

        if (!marked)
        {
            return default;
        }

        var set = value.IndexOf("#set(", StringComparison.OrdinalIgnoreCase);
        if (set >= 0 && CodeText.SkipSpaces(value, set + 5) is var variable && variable < value.Length && value[variable] == '$')
        {
            return new CodeFinding("Velocity directive", set, set + 5, 70);
        }

        foreach (var tag in (ReadOnlySpan<string>)["{php}", "{system(", "{Smarty_Internal", "{$smarty."])
        {
            var at = value.IndexOf(tag, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                return new CodeFinding("Smarty code tag", at, at + tag.Length, 85);
            }
        }

        return default;
    }
}
