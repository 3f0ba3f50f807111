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

    public static CodeFinding Judge(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (i < value.Length)
        {
            if (!CodeText.IsIdentifierStart(value[i]) || (i > 0 && IsChainCharacter(value[i - 1])))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < value.Length && IsChainCharacter(value[end]))
            {
                end++;
            }

            var chain = value[i..end].TrimEnd('.');
            if (chain.Contains('.'))
            {
                var finding = JudgeChain(chain);
                if (finding.Found)
                {
                    return finding with { Start = i, End = i + chain.Length };
                }
            }

            i = end;
        }

        return default;
    }

    private static CodeFinding JudgeChain(ReadOnlySpan<char> chain)
    {
        foreach (var package in DangerousPackages)
        {
            if (chain.StartsWith(package, StringComparison.OrdinalIgnoreCase))
            {
                return new CodeFinding("reference to a Java runtime or gadget package", 0, 0, 75);
            }
        }

        var first = true;
        var fromClass = false;
        foreach (var range in chain.Split('.'))
        {
            var segment = chain[range];
            if (Gadgets.Contains(segment))
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

    private static bool IsChainCharacter(char c) => CodeText.IsIdentifierChar(c) || c == '.';
}
