using System.Collections.Frozen;
using Palisade.Detection.Detectors.CodeInjection;

namespace Palisade.Detection.Detectors.Ssti;

/// <summary>
/// Reads the content of one template delimiter token by token and judges whether it evaluates code: literal
/// arithmetic, dunder walks, dangerous calls, command functions passed to filters, and walks from the template
/// engine's own objects. Names, member access and ordinary filters are data formatting and pass.
/// </summary>
internal static class TemplateExpression
{
    /// <summary>Objects every engine exposes to templates and from which attackers walk to the runtime.</summary>
    private static readonly FrozenSet<string> EngineRoots = FrozenSet.Create(StringComparer.Ordinal,
    [
        "_self", "_context", "__builtins__", "_TemplateReference__context", "mainModule", "templateSettings", "getClass", "forName",
        "getRuntime", "ProcessBuilder", "ScriptEngineManager", "GroovyClassLoader", "Execute", "ObjectConstructor",
        "JythonRuntime", "Runtime", "shell", "popen", "popen3", "popen4", "Open3", "Open4", "registerUndefinedFilterCallback",
    ]);

    /// <summary>Template-only functions that read files or run code when called.</summary>
    private static readonly FrozenSet<string> TemplateCalls = FrozenSet.Create(StringComparer.Ordinal,
    [
        "from_pyfile", "from_object", "include", "source", "dump", "read", "readlines", "readline", "execute",
        "spawn_sync", "spawn", "require", "import", "shell", "read!", "T", "new", "getattr", "attr", "exec", "evaluate",
    ]);

    /// <summary>Members that walk from any object to the runtime's types: <c>[].class.base.subclasses()</c>, <c>''.class.mro()</c>.</summary>
    private static readonly FrozenSet<string> RuntimeMembers = FrozenSet.Create(StringComparer.Ordinal,
    [
        "subclasses", "mro", "getClassLoader", "getField", "getDeclaredField", "getMethod", "getDeclaredMethod",
        "getDeclaredMethods", "newInstance", "getDeclaredConstructor", "getConstructor", "getProtectionDomain",
    ]);

    /// <summary>Methods probes call on a string literal to learn the engine's language: <c>{{'a'.toUpperCase()}}</c>.</summary>
    private static readonly FrozenSet<string> LiteralProbeMethods = FrozenSet.Create(StringComparer.Ordinal,
    [
        "toUpperCase", "toLowerCase", "execute", "getClass", "concat",
    ]);

    /// <summary>Classes whose construction inside a template reads files, opens connections or runs code (Groovy).</summary>
    private static readonly FrozenSet<string> DangerousTypes = FrozenSet.Create(StringComparer.Ordinal,
    [
        "File", "URL", "Socket", "ProcessBuilder", "FileReader", "FileWriter", "FileInputStream", "Scanner", "MethodClosure",
        "GroovyShell", "ScriptEngineManager",
    ]);

    /// <summary>Paths into the engine's request and environment objects that dump or call what a template never shows.</summary>
    private static readonly string[] InternalPaths =
    [
        "app.request.server", "app.request.query.filter", "request.getAttribute", "request.application",
        "request.environ", "self.module", "config.items", "config.iteritems", "_self.env",
    ];

    /// <summary>Member names, written as strings, that reach a constructor or prototype (Handlebars <c>lookup string.sub "constructor"</c>).</summary>
    private static readonly FrozenSet<string> PrototypeNames = FrozenSet.Create(StringComparer.Ordinal,
    [
        "constructor", "__proto__", "prototype",
    ]);

    // A probe is short: "7*7", "'7'*7", "1337*1337".
    private const int MaxProbe = 64;

    public static CodeFinding Judge(ReadOnlySpan<char> body)
    {
        var lookup = CodeNames.Execution.GetAlternateLookup<ReadOnlySpan<char>>();
        var previousKind = TokenKind.None;
        var previousOperator = '\0';
        var beforeOperator = TokenKind.None;
        var first = true;
        var arithmetic = false;
        var literalsOnly = true;
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var end = i + 1;
                while (end < body.Length && (char.IsAsciiDigit(body[end]) || body[end] == '.'))
                {
                    end++;
                }

                arithmetic |= previousKind == TokenKind.Operator && beforeOperator is TokenKind.Number or TokenKind.String && previousOperator is '*' or '+' or '/' or '%';

                beforeOperator = previousKind;
                previousKind = TokenKind.Number;
                i = end;
                first = false;
                continue;
            }

            if (c is '\'' or '"')
            {
                var close = body[(i + 1)..].IndexOf(c);
                var end = close < 0 ? body.Length : i + 2 + close;
                var content = body[(i + 1)..Math.Max(i + 1, end - 1)];

                // |map('system'), |filter("passthru"), |sort('ini_set'), getFilter("id") after a registered callback.
                if (lookup.Contains(content) && i > 0 && body[..i].TrimEnd().EndsWith("(", StringComparison.Ordinal))
                {
                    return new CodeFinding("command function passed to a template filter", 0, 0, 85);
                }

                if (PrototypeNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(content))
                {
                    return new CodeFinding("prototype walk in a template expression", 0, 0, 80);
                }

                arithmetic |= previousKind == TokenKind.Operator && beforeOperator == TokenKind.Number && previousOperator == '*';

                beforeOperator = previousKind;
                previousKind = TokenKind.String;
                i = end;
                first = false;
                continue;
            }

            if (CodeText.IsIdentifierStart(c))
            {
                var end = CodeText.IdentifierEnd(body, i);
                var word = body[i..end];
                var next = CodeText.SkipSpaces(body, end);
                var calls = next < body.Length && body[next] == '(';
                if (word.Length >= 5 && word.StartsWith("__") && word.EndsWith("__") && CodeNames.ObjectWalks.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
                {
                    return new CodeFinding("dunder attribute walk in a template expression", 0, 0, 85);
                }

                var member = i > 0 && body[i - 1] == '.';
                if (member && RuntimeMembers.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
                {
                    return new CodeFinding("walk to runtime types in a template expression", 0, 0, 85);
                }

                if (member && calls && previousKind == TokenKind.Punctuation && beforeOperator == TokenKind.String
                    && LiteralProbeMethods.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
                {
                    return new CodeFinding("method call on a literal in a template expression", 0, 0, 75);
                }

                if (word.SequenceEqual("new") && IsDangerousConstruction(body, next))
                {
                    return new CodeFinding("object construction in a template expression", 0, 0, 85);
                }

                if (!member && StartsInternalPath(body, i))
                {
                    return new CodeFinding("walk from template engine internals", 0, 0, 80);
                }

                if (EngineRoots.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word) && (calls || (next < body.Length && body[next] is '.' or '[' or '|') || i > 0 && body[i - 1] == '.'))
                {
                    return new CodeFinding("walk from template engine internals", 0, 0, 85);
                }

                if (calls && (lookup.Contains(word) || TemplateCalls.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word)) && (word.Length > 1 || IsJavaType(body, next)))
                {
                    return new CodeFinding("code execution call in a template expression", 0, 0, 85);
                }

                if (first && word.SequenceEqual("config") && (next >= body.Length || body[next] is '.' or '|' && !CodeText.At(body, next, ".debug")))
                {
                    return new CodeFinding("walk from template engine internals", 0, 0, 70);
                }

                if (first && (word.SequenceEqual("self") || word.SequenceEqual("request")) && next >= body.Length)
                {
                    return new CodeFinding("walk from template engine internals", 0, 0, 70);
                }

                if ((word.SequenceEqual("require") && next < body.Length && body[next] is '\'' or '"') || (word.SequenceEqual("import") && first && next < body.Length && CodeText.IsIdentifierStart(body[next])))
                {
                    return new CodeFinding("module import in a template", 0, 0, 85);
                }

                literalsOnly = false;
                beforeOperator = previousKind;
                previousKind = TokenKind.Name;
                i = end;
                first = false;
                continue;
            }

            if (c is '*' or '+' or '-' or '/' or '%')
            {
                beforeOperator = previousKind;
                previousOperator = c;
                previousKind = TokenKind.Operator;
                i++;
                continue;
            }

            literalsOnly &= c is '(' or ')';
            beforeOperator = previousKind;
            previousKind = c is ')' or ']' ? TokenKind.Name : TokenKind.Punctuation;
            i++;
        }

        // {{7*7}}, ${3*3}, {{7*'7'}}: an expression made of literals and arithmetic alone is the engine probe; data
        // (dates, JSON arrays of numbers) is not written inside a template delimiter with '*', '+', '/' or '%'.
        return arithmetic && literalsOnly && body.Length <= MaxProbe
            ? new CodeFinding("arithmetic on literals in a template expression", 0, 0, 75)
            : default;
    }

    // new File(...), new java.net.URL(...), new org.codehaus.groovy.runtime.MethodClosure(...): the type after "new",
    // qualified or not, is one that reaches files, the network or code.
    private static bool IsDangerousConstruction(ReadOnlySpan<char> body, int start)
    {
        if (start >= body.Length || !CodeText.IsIdentifierStart(body[start]))
        {
            return false;
        }

        var end = start;
        while (end < body.Length && (CodeText.IsIdentifierChar(body[end]) || body[end] == '.'))
        {
            end++;
        }

        var type = body[start..end];
        var simple = type[(type.LastIndexOf('.') + 1)..];
        var qualified = type.StartsWith("java.", StringComparison.Ordinal) || type.StartsWith("javax.", StringComparison.Ordinal)
            || type.StartsWith("org.", StringComparison.Ordinal) || type.StartsWith("groovy.", StringComparison.Ordinal);
        return qualified || DangerousTypes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(simple);
    }

    private static bool StartsInternalPath(ReadOnlySpan<char> body, int start)
    {
        foreach (var path in InternalPaths)
        {
            if (CodeText.At(body, start, path) && (start + path.Length == body.Length || !CodeText.IsIdentifierChar(body[start + path.Length])))
            {
                return true;
            }
        }

        return false;
    }

    // T(java.lang.Runtime): Spring's type reference takes a qualified Java name.
    private static bool IsJavaType(ReadOnlySpan<char> body, int open) =>
        CodeText.At(body, CodeText.SkipSpaces(body, open + 1), "java") || CodeText.At(body, CodeText.SkipSpaces(body, open + 1), "org.");

    private enum TokenKind
    {
        None,
        Number,
        String,
        Name,
        Operator,
        Punctuation,
    }
}
