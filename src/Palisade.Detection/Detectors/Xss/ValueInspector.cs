using System.Buffers;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Judges a value that carries no markup as what it may become when reflected: a URL (<c>?next=javascript:...</c>,
/// a Markdown link), a CSS declaration (<c>?color=red;background:url(javascript:...)</c>), or script (a value
/// written into a script block or a JavaScript string: <c>';alert(1)//</c>, <c>"-alert(1)-"</c>, <c>top['al'+'ert'](1)</c>).
/// </summary>
/// <remarks>
/// Character references are decoded first, since the value may land in an attribute (an <c>href</c>, an
/// <c>onclick</c>) whose text the browser decodes: <c>alert&amp;lpar;1&amp;rpar;</c> is a call there. For script, the
/// value is read from its start (code context) and from just past its first single and double quote (a string
/// the quote closes), so each reading is one linear pass.
/// </remarks>
internal static class ValueInspector
{
    private const int StackChars = 512;

    private static readonly SearchValues<string> ScriptWords = SearchValues.Create(
        [
            "alert", "confirm", "prompt", "eval", "execScript", "setTimeout", "setInterval", "Function", "constructor",
            "document", "top", "self", "window", "parent", "frames", "globalThis", "this", "content", "opener", "call",
            "apply", "\\u",
        ],
        StringComparison.Ordinal);

    private static readonly SearchValues<char> JsFuckAlphabet = SearchValues.Create("[]()!+ ");

    // Each script word holds one (see TryFindScript).
    private static readonly SearchValues<char> LowercaseLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz");

    public static bool TryFind(ReadOnlySpan<char> raw, out DetectorMatch match)
    {
        if (UrlInspector.HasObfuscatedScriptScheme(raw))
        {
            match = new DetectorMatch(XssReasons.ObfuscatedScriptScheme, 0, raw.Length, 85);
            return true;
        }

        using var scratch = new TextScratch(raw.Contains('&') ? stackalloc char[StackChars] : default);
        var value = scratch.DecodeEntities(raw);
        var decoded = value.Length != raw.Length;

        if (TryFindUrl(value, out match) || TryFindMarkdownLink(value, out match) || TryFindCss(value, out match)
            || TryFindScript(value, out match) || TryFindJsFuck(value, out match) || TryFindMemberAssignment(value, out match))
        {
            if (decoded)
            {
                // Offsets in decoded text do not map back; point at the whole value.
                match = match with { Start = 0, Length = raw.Length };
            }

            return true;
        }

        return false;
    }

    // The whole value as a URL: "javascript:alert(1)", " jav&#x09;ascript:...", "data:text/html;base64,...".
    private static bool TryFindUrl(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        var threat = UrlInspector.Classify(value, out var codeStart);
        var reason = threat switch
        {
            UrlInspector.Threat.JavaScript when AttributeInspector.RunsCode(value[codeStart..]) => XssReasons.ScriptUrlValue,
            UrlInspector.Threat.LegacyScript or UrlInspector.Threat.VbScript when !value[codeStart..].Trim().IsEmpty => XssReasons.ScriptUrlValue,
            UrlInspector.Threat.ScriptableData => XssReasons.DataUrlValue,
            _ => null,
        };
        if (reason is null)
        {
            return false;
        }

        match = new DetectorMatch(reason, 0, value.Length, 85);
        return true;
    }

    // "[click](javascript:alert(1))": Markdown renders the target as a link.
    private static bool TryFindMarkdownLink(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        var offset = 0;
        while (true)
        {
            var at = value[offset..].IndexOf("](", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var target = offset + at + 2;
            var threat = UrlInspector.Classify(value[target..], out var codeStart);
            if ((threat == UrlInspector.Threat.JavaScript && AttributeInspector.RunsCode(value[(target + codeStart)..]))
                || threat is UrlInspector.Threat.VbScript or UrlInspector.Threat.ScriptableData or UrlInspector.Threat.LegacyScript)
            {
                match = new DetectorMatch(XssReasons.MarkdownScriptUrl, offset + at, value.Length - offset - at, 85);
                return true;
            }

            offset = target;
        }
    }

    private static bool TryFindCss(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        if (!value.Contains('(') || !CssInspector.TryFind(value, CssInspector.Context.Value, out var offset))
        {
            return false;
        }

        match = new DetectorMatch(XssReasons.CssScript, offset, value.Length - offset, 80);
        return true;
    }

    // JSFuck writes any script with the six characters []()!+ ("(![]+[])[+[]]" is "f"); a long run of them and
    // nothing else is never text. A shorter whole value of them is script too once it turns a negated array into a
    // number, by a leading '+' ("+!![]" is 1) or as an index ("(![]+[])[+!+[]]" is "a"): the building blocks
    // of a longer payload. "(![]+[])" alone is the string "false", a riddle rather than a payload. A space counts
    // as the '+' a form decoder made of it: a page script that reads its query with decodeURIComponent keeps it.
    private static bool TryFindJsFuck(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        const int MinimumRun = 24;
        const int MinimumWhole = 5;
        match = default;
        if (!value.Contains("![]", StringComparison.Ordinal))
        {
            return false;
        }

        if (value.Length >= MinimumWhole && !value.ContainsAnyExcept(JsFuckAlphabet) && CoercesToNumber(value))
        {
            match = new DetectorMatch(XssReasons.ObfuscatedScript, 0, value.Length, 75);
            return true;
        }

        var runStart = -1;
        var count = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            var c = i < value.Length ? value[i] : '\0';
            if (c is '[' or ']' or '(' or ')' or '!' or '+')
            {
                if (runStart < 0)
                {
                    runStart = i;
                    count = 0;
                }

                count++;
                continue;
            }

            if (c is ' ' or '\t' && runStart >= 0)
            {
                continue;
            }

            if (count >= MinimumRun && value[runStart..i].Contains("![]", StringComparison.Ordinal))
            {
                match = new DetectorMatch(XssReasons.ObfuscatedScript, runStart, i - runStart, 80);
                return true;
            }

            runStart = -1;
            count = 0;
        }

        return false;
    }

    // "'  location.href=": a value that closes a string and assigns to a member.
    private static bool TryFindMemberAssignment(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        if (!value.Contains('='))
        {
            return false;
        }

        foreach (var quote in "'\"")
        {
            var at = value.IndexOf(quote);
            if (at >= 0 && JsInspector.IsMemberAssignmentAfterBreakout(value[(at + 1)..]))
            {
                match = new DetectorMatch(XssReasons.MemberAssignmentBreakout, at, value.Length - at, 70);
                return true;
            }
        }

        return false;
    }

    // "+!..." at the start, or "[+" / "[!" anywhere, with a space read as '+'.
    private static bool CoercesToNumber(ReadOnlySpan<char> jsFuck)
    {
        if (jsFuck[0] is '+' or ' ' && jsFuck[1] is '!' or '[')
        {
            return true;
        }

        for (var i = 1; i < jsFuck.Length; i++)
        {
            if (jsFuck[i - 1] == '[' && jsFuck[i] is '+' or ' ' or '!')
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryFindScript(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        // Every script rule names a sink, a global object or the document (or spells a name with \u escapes).
        match = default;

        // Every script word holds a lower-case ASCII letter: numbers, codes and capitals skip the word search.
        if (!value.ContainsAny(LowercaseLetters) || value.IndexOfAny(ScriptWords) < 0)
        {
            return false;
        }

        if (JsInspector.TryFind(value, JsInspector.Mode.Sinks, out match))
        {
            return true;
        }

        // Single and double quotes only: a backtick opens a Markdown code span far more often than it closes a
        // template literal, and "`eval` is unsafe" must pass.
        foreach (var quote in "'\"")
        {
            var at = value.IndexOf(quote);
            if (at >= 0 && JsInspector.TryFind(value[(at + 1)..], JsInspector.Mode.Sinks, out match, afterBreakout: true))
            {
                match = match with { Reason = XssReasons.ScriptStringBreakout, Start = match.Start + at + 1 };
                return true;
            }
        }

        return false;
    }
}
