using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Judges text as JavaScript: does it, read as code, call something that shows the attacker is running script
/// (<c>alert(1)</c>, <c>eval(...)</c>, <c>top['al'+'ert'](1)</c>, <c>document.cookie</c>)? Strings, comments and regular
/// expressions are skipped by <see cref="JsTokenizer"/>, so only code counts.
/// </summary>
/// <remarks>
/// <para>
/// Prose is told from code by the statement it sits in: two names or literals side by side on one line
/// (<c>Set an alert (optional)</c>, <c>don't call eval() here</c>) is not a JavaScript statement, so nothing in that
/// statement counts. A candidate is therefore only reported once its whole statement has been read.
/// </para>
/// <para>
/// <see cref="Mode.Sinks"/> is for values that merely might be script (a value reflected into a script block,
/// or a string break-out): only sinks count, and a sink call must be written tight (<c>alert(1)</c>, or
/// <c>alert/**/(1)</c>), since prose puts a space before a parenthesis. <see cref="Mode.Executable"/> is for code
/// that will run (the body of a <c>javascript:</c> URL): anything but a no-op counts, so
/// <c>javascript:void(0)</c> passes and <c>javascript:history.back()</c> does not, while prose after the colon
/// (<c>javascript: the good parts</c>) still passes.
/// </para>
/// </remarks>
internal static class JsInspector
{
    // Escaped letters in one name that make it an evasion rather than a stray escape.
    private const int MinimumEscapedLetters = 2;

    public enum Mode
    {
        Sinks,
        Executable,
    }

    /// <summary>
    /// Finds the first statement that shows script execution; the match is relative to <paramref name="code"/>.
    /// <paramref name="afterBreakout"/> says the code follows a quote that closed a string: the context is an
    /// injection then, so a timer called with a variable (<c>setTimeout(name,1)</c>) counts too.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<char> code, Mode mode, out DetectorMatch match, bool afterBreakout = false)
    {
        match = default;
        var tokenizer = new JsTokenizer(code);
        JsToken t1 = default, t2 = default, t3 = default, t4 = default;
        var juxtaposed = false;
        DetectorMatch? pending = null;

        // Parentheses that belong to a method call ("x.find(" ): a sink passed there is used as a callback.
        ulong methodParens = 0;
        var parenDepth = 0;

        // A computed member chain on the global object ("top[...]", "self[...][...]"), tracked by bracket depth.
        var bracketDepth = 0;
        var chainDepth = -1;
        var chainStart = 0;

        // The statement being read starts with "document" (document.body.innerHTML = ...).
        var atStatementStart = true;
        var documentRooted = false;
        var statementStart = 0;

        while (tokenizer.Next(out var t))
        {
            if (t.NewlineBefore || atStatementStart)
            {
                documentRooted = IsWord(code, t, "document");
                statementStart = t.Start;
            }

            atStatementStart = t.Is(code, ";") || t.Is(code, "{") || t.Is(code, "}");

            if (t.NewlineBefore || t.Is(code, ";") || t.Is(code, "{") || t.Is(code, "}"))
            {
                if (pending is { } found && !juxtaposed)
                {
                    match = found;
                    return true;
                }

                pending = null;
                juxtaposed = false;
            }
            else if (IsJuxtaposed(code, t1, t))
            {
                juxtaposed = true;
            }

            var peek = tokenizer;
            peek.Next(out var next);

            pending ??= Inspect(code, mode, afterBreakout, t, t1, t2, t3, t4, next, tokenizer, methodParens, parenDepth);

            // document.querySelector("p").textContent = "...", document.body.innerHTML = '<img ...>': the statement
            // rewrites the page through the DOM.
            if (documentRooted && pending is null && t.Is(code, "=") && t2.Is(code, ".") && t1.Kind == JsTokenKind.Identifier
                && IsDomContentMember(Text(code, t1)))
            {
                pending = new DetectorMatch(XssReasons.DomWrite, statementStart, t.End - statementStart, 75);
            }

            // Bookkeeping for the rules that look across brackets.
            if (t.Is(code, "("))
            {
                parenDepth++;
                if (parenDepth < 64)
                {
                    var method = t1.Kind == JsTokenKind.Identifier && t2.Is(code, ".");
                    methodParens = method ? methodParens | (1UL << parenDepth) : methodParens & ~(1UL << parenDepth);
                }
            }
            else if (t.Is(code, ")") && parenDepth > 0)
            {
                parenDepth--;
            }
            else if (t.Is(code, "["))
            {
                // top['al'+'ert'], self[/x/.source], top[8680439..toString(30)]: a computed name built from literals.
                // "self[name](...)" is everyday code (Python too), so a plain name inside does not count.
                if (chainDepth < 0 && t1.Kind == JsTokenKind.Identifier && IsGlobalObject(code, t1) && IsTight(code, t1, t, mode)
                    && next.Kind != JsTokenKind.Identifier)
                {
                    chainDepth = bracketDepth;
                    chainStart = t1.Start;
                }

                bracketDepth++;
            }
            else if (t.Is(code, "]") && bracketDepth > 0)
            {
                bracketDepth--;
                if (bracketDepth == chainDepth)
                {
                    if ((next.Is(code, "(") && IsTight(code, t, next, mode)) || (next.Kind == JsTokenKind.Template && code[next.Start] == '`'))
                    {
                        pending ??= new DetectorMatch(XssReasons.ComputedGlobalCall, chainStart, next.End - chainStart, 80);
                    }

                    if (!next.Is(code, "["))
                    {
                        chainDepth = -1;
                    }
                }
            }

            t4 = t3;
            t3 = t2;
            t2 = t1;
            t1 = t;
        }

        if (pending is { } last && !juxtaposed)
        {
            match = last;
            return true;
        }

        return false;
    }

    private static DetectorMatch? Inspect(
        ReadOnlySpan<char> code,
        Mode mode,
        bool afterBreakout,
        JsToken t,
        JsToken t1,
        JsToken t2,
        JsToken t3,
        JsToken t4,
        JsToken next,
        JsTokenizer tokenizer,
        ulong methodParens,
        int parenDepth)
    {
        var opensCall = t.Is(code, "(") || (t.Kind == JsTokenKind.Template && code[t.Start] == '`');

        // alert(1), eval(...), alert`1`, setTimeout('...'), new Function(...)
        // A method of some other object ("rl.prompt()", "console.eval(x)") is not the global function.
        if (opensCall && t1.Kind == JsTokenKind.Identifier && IsTight(code, t1, t, mode)
            && (!t2.Is(code, ".") || (t3.Kind == JsTokenKind.Identifier && IsGlobalObject(code, t3))))
        {
            var callee = Text(code, t1);
            if ((IsSinkFunction(callee) && (afterBreakout || !JsTokenizer.IdentifierEquals(callee, "eval") || EvaluatesBrowserInput(code, next)))
                || (IsTimer(callee) && TakesCode(code, next, tokenizer, afterBreakout))
                || (JsTokenizer.IdentifierEquals(callee, "Function") && (IsWord(code, t2, "new") || next.Kind is JsTokenKind.StringLiteral or JsTokenKind.Template)))
            {
                var start = IsWord(code, t2, "new") ? t2.Start : t1.Start;
                return new DetectorMatch(XssReasons.ScriptSinkCall, start, t.End - start, 85);
            }
        }

        // document.cookie, document.domain, document.write(...), document['cookie']
        if (IsWord(code, t2, "document") && t1.Is(code, ".") && t.Kind == JsTokenKind.Identifier && IsSensitiveDocumentMember(Text(code, t)))
        {
            return new DetectorMatch(XssReasons.SensitiveDomAccess, t2.Start, t.End - t2.Start, 75);
        }

        if (t.Is(code, "[") && (IsWord(code, t1, "document") || (t1.Is(code, ")") && IsWord(code, t2, "document")))
            && next.Kind == JsTokenKind.StringLiteral && IsSensitiveDocumentMember(Unquote(code, next)))
        {
            var start = IsWord(code, t1, "document") ? t1.Start : t2.Start;
            return new DetectorMatch(XssReasons.SensitiveDomAccess, start, next.End - start, 75);
        }

        // x.constructor.constructor, [].constructor.constructor('...')(): the Function constructor.
        if (IsWord(code, t2, "constructor") && t1.Is(code, ".") && IsWord(code, t, "constructor"))
        {
            return new DetectorMatch(XssReasons.FunctionConstructor, t2.Start, t.End - t2.Start, 80);
        }

        // [1].find(alert), a=alert,a(1), `${alert}`, .replace(/x/,eval), (alert)(1)
        // Only alert and eval: "prompt" and "confirm" are everyday variable names ("write(prompt)").
        if (t1.Kind == JsTokenKind.Identifier && (IsWord(code, t1, "alert") || IsWord(code, t1, "eval")) && EndsValue(code, t))
        {
            var enclosingIsMethod = parenDepth > 0 && parenDepth < 64 && (methodParens & (1UL << parenDepth)) != 0;
            var passed = t2.Is(code, "=")
                || t2.OpensSubstitution(code)
                || (t2.Is(code, "(") && t3.Kind == JsTokenKind.Identifier && t4.Is(code, "."))
                || (t2.Is(code, ",") && enclosingIsMethod)
                || (t2.Is(code, "(") && t.Is(code, ")") && next.Is(code, "("));
            if (passed)
            {
                return new DetectorMatch(XssReasons.SinkAsValue, t1.Start, t1.Length, 70);
            }
        }

        // fn.call`${alert}1`, Reflect.apply.call`${f}${x}`, Reflect.sort.call``: a template tag calls a function
        // without parentheses. Without a substitution the template has to follow the name tight, as code does.
        if (t.Kind == JsTokenKind.Template && (t.OpensSubstitution(code) || t.Start == t1.End) && code[t.Start] == '`' && t2.Is(code, ".")
            && (IsWord(code, t1, "call") || IsWord(code, t1, "apply")))
        {
            return new DetectorMatch(XssReasons.TemplateCall, t1.Start, t.End - t1.Start, 75);
        }

        // self["\x24"], top['\u0061lert']: a member of the global object named with escapes hides which one it is.
        if (t.Is(code, "[") && t1.Kind == JsTokenKind.Identifier && IsGlobalObject(code, t1) && IsTight(code, t1, t, mode)
            && next.Kind == JsTokenKind.StringLiteral && HasHexEscape(Text(code, next)))
        {
            return new DetectorMatch(XssReasons.EscapedGlobalMember, t1.Start, next.End - t1.Start, 75);
        }

        // \u0076\u0061l\u0075e\u004F\u0066: a name with letters spelled as escapes, which only hides a word from a filter.
        if (t.Kind == JsTokenKind.Identifier && JsTokenizer.CountEscapedAsciiLetters(Text(code, t)) >= MinimumEscapedLetters)
        {
            return new DetectorMatch(XssReasons.ObfuscatedScript, t.Start, t.Length, 75);
        }

        if (mode != Mode.Executable)
        {
            return null;
        }

        // Code that will run does something unless it is a no-op ("void(0)", ";", "0"); a string only matters
        // when it holds markup, which the browser renders as the new document.
        return DoesSomething(code, t) ? new DetectorMatch(XssReasons.ScriptUrlValue, t.Start, t.Length, 85) : null;
    }

    /// <summary>
    /// True when <paramref name="code"/>, the text just past a quote that closed a string, goes on with whitespace
    /// or a <c>;</c> and then assigns to a member: <c>'  location.href=</c>, <c>"; document.domain=</c>. A break-out
    /// that writes a property runs the sender's statement, whatever the right-hand side the page supplies.
    /// </summary>
    public static bool IsMemberAssignmentAfterBreakout(ReadOnlySpan<char> code)
    {
        var lead = 0;
        while (lead < code.Length && (code[lead] is ' ' or '\t' or ';'))
        {
            lead++;
        }

        if (lead == 0)
        {
            return false;
        }

        var tokenizer = new JsTokenizer(code[lead..]);
        var rest = code[lead..];
        if (!tokenizer.Next(out var name) || name.Kind != JsTokenKind.Identifier || IsNonCallKeyword(Text(rest, name)))
        {
            return false;
        }

        var members = 0;
        while (tokenizer.Next(out var t))
        {
            if (t.Is(rest, "=") && !t.NewlineBefore)
            {
                return members > 0;
            }

            if (!t.Is(rest, ".") || t.NewlineBefore || !tokenizer.Next(out var member) || member.Kind != JsTokenKind.Identifier)
            {
                return false;
            }

            members++;
        }

        return false;
    }

    private static bool HasHexEscape(ReadOnlySpan<char> literal) =>
        literal.Contains("\\x", StringComparison.Ordinal) || literal.Contains("\\u", StringComparison.Ordinal);

    private static bool DoesSomething(ReadOnlySpan<char> code, JsToken t) => t.Kind switch
    {
        JsTokenKind.NumericLiteral => false,
        JsTokenKind.Identifier => !(Text(code, t) is "void" or "undefined" or "null" or "true" or "false" or "return" or "NaN" or "Infinity"),
        JsTokenKind.StringLiteral or JsTokenKind.Template => HoldsMarkup(Text(code, t)),
        JsTokenKind.Punctuator => !(Text(code, t) is "(" or ")" or ";" or "," or "-" or "+" or "!" or "~"),
        _ => true,
    };

    private static bool HoldsMarkup(ReadOnlySpan<char> text)
    {
        var lt = text.IndexOf('<');
        return lt >= 0 && lt + 1 < text.Length && (char.IsAsciiLetter(text[lt + 1]) || text[lt + 1] is '/' or '!');
    }

    // Two names or literals side by side on one line ("an alert", "'a' b") cannot be JavaScript.
    private static bool IsJuxtaposed(ReadOnlySpan<char> code, JsToken previous, JsToken current)
    {
        if (current.NewlineBefore)
        {
            return false;
        }

        var currentIsOperand = current.Kind switch
        {
            JsTokenKind.Identifier => !IsInfixKeyword(Text(code, current)),
            JsTokenKind.NumericLiteral or JsTokenKind.StringLiteral => true,
            _ => false,
        };
        if (!currentIsOperand)
        {
            return false;
        }

        // "]" cannot be followed by an operand either ("a[0] b"). ")" can ("if (x) alert(1)"), and a quote right
        // after a call is how payloads written for an attribute end ("alert(1)\">"), so it does not count.
        return previous.Kind switch
        {
            JsTokenKind.Identifier => !IsExpressionKeyword(Text(code, previous)),
            JsTokenKind.NumericLiteral or JsTokenKind.StringLiteral or JsTokenKind.RegExpLiteral => true,
            JsTokenKind.Template => code[previous.End - 1] == '`',
            JsTokenKind.Punctuator => previous.Is(code, "]"),
            _ => false,
        };
    }

    // In Sinks mode a call is only believed when written tight: "alert(1)", "alert/**/(1)", not "alert (1)".
    private static bool IsTight(ReadOnlySpan<char> code, JsToken callee, JsToken open, Mode mode)
    {
        if (mode == Mode.Executable || open.Start == callee.End)
        {
            return true;
        }

        return code[callee.End..open.Start].Contains("/*", StringComparison.Ordinal);
    }

    // eval(...) is Python too ("eval(expr, globals)"); outside a break-out it counts when it runs a literal or
    // what the browser hands over: eval('...'), eval(atob(...)), eval(location.hash...), eval(name).
    private static bool EvaluatesBrowserInput(ReadOnlySpan<char> code, JsToken argument)
    {
        if (argument.Kind is JsTokenKind.StringLiteral or JsTokenKind.Template)
        {
            return true;
        }

        var name = Text(code, argument);
        return argument.Kind == JsTokenKind.Identifier
            && (name is "location" or "name" or "document" or "window" or "top" or "self" or "parent" or "atob" or "unescape"
                or "decodeURI" or "decodeURIComponent" or "String" or "URL" or "localStorage" or "sessionStorage");
    }

    // setTimeout/setInterval run their first argument as code when it is a string (or, after a break-out, a
    // variable that may hold one: setTimeout(name,1) runs window.name).
    private static bool TakesCode(ReadOnlySpan<char> code, JsToken first, JsTokenizer tokenizer, bool afterBreakout)
    {
        if (first.Kind is JsTokenKind.StringLiteral or JsTokenKind.Template)
        {
            return true;
        }

        if (!afterBreakout || first.Kind != JsTokenKind.Identifier || IsWord(code, first, "function") || IsWord(code, first, "async"))
        {
            return false;
        }

        tokenizer.Next(out _);
        tokenizer.Next(out var after);
        return after.Is(code, ",") || after.Is(code, ")");
    }

    private static bool EndsValue(ReadOnlySpan<char> code, JsToken t) =>
        t.Is(code, ")") || t.Is(code, ",") || t.Is(code, "]") || t.Is(code, ";")
        || (t.Kind == JsTokenKind.Template && code[t.Start] == '}');

    private static ReadOnlySpan<char> Text(ReadOnlySpan<char> code, JsToken token) => code.Slice(token.Start, token.Length);

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> code, JsToken token)
    {
        var text = Text(code, token);
        return text.Length >= 2 && text[^1] == text[0] ? text[1..^1] : text[1..];
    }

    private static bool IsWord(ReadOnlySpan<char> code, JsToken token, string word) =>
        token.Kind == JsTokenKind.Identifier && JsTokenizer.IdentifierEquals(Text(code, token), word);

    private static bool IsSinkFunction(ReadOnlySpan<char> name) =>
        JsTokenizer.IdentifierEquals(name, "alert") || JsTokenizer.IdentifierEquals(name, "confirm")
        || JsTokenizer.IdentifierEquals(name, "prompt") || JsTokenizer.IdentifierEquals(name, "eval")
        || JsTokenizer.IdentifierEquals(name, "execScript");

    private static bool IsTimer(ReadOnlySpan<char> name) =>
        JsTokenizer.IdentifierEquals(name, "setTimeout") || JsTokenizer.IdentifierEquals(name, "setInterval");

    private static bool IsSensitiveDocumentMember(ReadOnlySpan<char> name) =>
        JsTokenizer.IdentifierEquals(name, "cookie") || JsTokenizer.IdentifierEquals(name, "domain")
        || JsTokenizer.IdentifierEquals(name, "write") || JsTokenizer.IdentifierEquals(name, "writeln");

    // The members whose assignment replaces what an element shows.
    private static bool IsDomContentMember(ReadOnlySpan<char> name) =>
        JsTokenizer.IdentifierEquals(name, "innerHTML") || JsTokenizer.IdentifierEquals(name, "outerHTML")
        || JsTokenizer.IdentifierEquals(name, "textContent") || JsTokenizer.IdentifierEquals(name, "innerText")
        || JsTokenizer.IdentifierEquals(name, "outerText");

    // The objects that hold every global function, so obj['al'+'ert'] reaches alert.
    private static bool IsGlobalObject(ReadOnlySpan<char> code, JsToken token)
    {
        var name = Text(code, token);
        return name is "top" or "self" or "window" or "parent" or "frames" or "globalThis" or "this" or "content" or "opener";
    }

    // Keywords after which an expression follows (so "return x" is not two operands side by side).
    private static bool IsExpressionKeyword(ReadOnlySpan<char> word) =>
        word is "return" or "typeof" or "void" or "new" or "delete" or "throw" or "case" or "do" or "else" or "in"
            or "of" or "instanceof" or "await" or "yield" or "let" or "var" or "const" or "function" or "class"
            or "extends" or "async" or "import" or "export" or "from" or "as" or "get" or "set" or "static";

    private static bool IsInfixKeyword(ReadOnlySpan<char> word) => word is "in" or "of" or "instanceof";

    // Keywords that take parentheses without calling anything.
    private static bool IsNonCallKeyword(ReadOnlySpan<char> word) =>
        word is "void" or "typeof" or "if" or "while" or "for" or "switch" or "catch" or "function" or "return"
            or "with" or "do" or "else" or "delete" or "throw" or "case" or "in" or "of" or "instanceof" or "new"
            or "await" or "yield" or "async";
}
