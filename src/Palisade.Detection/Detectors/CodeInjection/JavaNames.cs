using System.Buffers;
using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// Judges dotted Java names in a value or a parameter name: references to the packages deserialization and
/// expression-language attacks reach for (<c>java.lang.Runtime</c>, <c>com.sun.org.apache...</c>,
/// <c>org.apache.commons.collections...</c>), Commons Collections gadget classes (<c>InvokerTransformer</c>,
/// <c>runtime.clonetransformer</c>), and Spring's class-loader walk (<c>class.module.classLoader...</c>, the
/// Spring4Shell binding). A name is read as a chain of identifiers joined by dots; ordinary dotted names
/// (<c>user.address.city</c>, <c>example.com</c>, <c>v1.2.3</c>) name none of these.
/// </summary>
internal static class JavaNames
{
    private static readonly string[] DangerousPackages =
    [
        "com.opensymphony.xwork2", "com.sun.org.apache", "com.sun.rowset", "com.sun.jndi", "java.io.", "java.lang.",
        "java.beans.", "java.rmi.", "java.net.url", "java.net.socket", "javax.script", "javax.naming", "javax.management",
        "org.apache.commons.collections", "org.apache.struts", "org.apache.xalan", "org.omg.corba", "org.codehaus.groovy",
        "org.springframework.context.support", "bsh.interpreter", "sun.misc.", "sun.reflect.",
    ];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Gadgets = new[]
    {
        "clonetransformer", "forclosure", "instantiatefactory", "instantiatetransformer", "invokertransformer",
        "prototypeclonefactory", "prototypeserializationfactory", "whileclosure", "chainedtransformer",
        "constanttransformer", "lazymap", "templatesimpl", "annotationinvocationhandler",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ContextClasses = new[]
    {
        "FileSystemXmlApplicationContext", "ClassPathXmlApplicationContext",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    // What a chain is made of: identifier characters (CodeText.IsIdentifierChar) and dots.
    private static readonly SearchValues<char> ChainCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.");

    // Every dangerous package starts with one of these letters (in either case): the prefix comparisons are
    // skipped for a chain led by any other (most dotted names, host names, version numbers and analytics ids).
    private static readonly SearchValues<char> PackageInitials = SearchValues.Create(
        string.Concat(DangerousPackages.Select(package => $"{char.ToLowerInvariant(package[0])}{char.ToUpperInvariant(package[0])}")));

    public static CodeFinding Judge(ReadOnlySpan<char> value)
    {
        // A chain is judged only if it holds an inner dot, so go from dot to dot rather than character by
        // character: the chain of a dot is the run of name characters and dots around it, judged when that run
        // starts with an identifier (a run led by a digit or a dot, "1.2.3", ".5", is never a name).
        var dot = value.IndexOf('.');
        while (dot >= 0)
        {
            var start = value[..dot].LastIndexOfAnyExcept(ChainCharacters) + 1;
            var after = value[dot..].IndexOfAnyExcept(ChainCharacters);
            var end = after < 0 ? value.Length : dot + after;

            if (CodeText.IsIdentifierStart(value[start]))
            {
                var chain = value[start..end].TrimEnd('.');
                if (chain.Contains('.'))
                {
                    var finding = JudgeChain(chain).Max(JudgeContextCall(value, chain, start + chain.Length));
                    if (finding.Found)
                    {
                        return finding with { Start = start, End = start + chain.Length };
                    }
                }
            }

            var next = end < value.Length ? value[end..].IndexOf('.') : -1;
            dot = next < 0 ? -1 : end + next;
        }

        return default;
    }

    private static CodeFinding JudgeChain(ReadOnlySpan<char> chain)
    {
        if (PackageInitials.Contains(chain[0]) && StartsWithDangerousPackage(chain))
        {
            return new CodeFinding("reference to a Java runtime or gadget package", 0, 0, 75);
        }

        var first = true;
        var fromClass = false;
        foreach (var range in chain.Split('.'))
        {
            var segment = chain[range];
            // Gadget names are words: an empty segment or one led by a digit or '_' (a version, an id) needs no lookup.
            if (!segment.IsEmpty && char.IsAsciiLetter(segment[0]) && Gadgets.Contains(segment))
            {
                return new CodeFinding("Java deserialization gadget class", 0, 0, 85);
            }

            if (fromClass && (segment.Equals("classLoader", StringComparison.OrdinalIgnoreCase) || segment.Equals("getClassLoader", StringComparison.OrdinalIgnoreCase)))
            {
                return new CodeFinding("class loader walk through data binding", 0, 0, 85);
            }

            fromClass |= first && segment.Equals("class", StringComparison.OrdinalIgnoreCase);
            first = false;
        }

        return default;
    }

    // ...FileSystemXmlApplicationContext('http://x/wb.xml'): a Spring application context built from a bean file the
    // caller names, however the package was repackaged (com.bea.core.repackaged.springframework...); the beans it
    // defines run whatever they are told (CVE-2022-22963, CVE-2020-14883).
    private static CodeFinding JudgeContextCall(ReadOnlySpan<char> value, ReadOnlySpan<char> chain, int end)
    {
        var last = chain[(chain.LastIndexOf('.') + 1)..];
        var open = CodeText.SkipSpaces(value, end);
        return open < value.Length && value[open] == '(' && ContextClasses.Contains(last)
            && CodeText.OpensCallWithArgument(value, open, out _)
            ? new CodeFinding("Spring application context loaded from a named file", 0, 0, 85)
            : default;
    }

    private static bool StartsWithDangerousPackage(ReadOnlySpan<char> chain)
    {
        foreach (var package in DangerousPackages)
        {
            if (chain.StartsWith(package, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

}
