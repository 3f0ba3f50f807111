namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Reads XML attribute-list declarations (<c>&lt;!ATTLIST img onerror CDATA "alert(1)"&gt;</c>) in a DOCTYPE's internal
/// subset or on their own. A default value there is an attribute the XML parser adds to every element of that
/// name: declaring an event handler with a default puts a handler on every <c>img</c> of the document. Only
/// handlers browsers fire count: a declared <c>online</c> attribute is no handler.
/// </summary>
internal static class AttributeListDeclaration
{
    private const string Keyword = "ATTLIST";

    private enum Expect
    {
        ElementName,
        AttributeName,
        Type,
        Default,
    }

    /// <summary>
    /// Finds a declared event handler with a non-empty default value in <paramref name="content"/> (a DOCTYPE or
    /// bogus comment's text); <paramref name="offset"/> is where its declaration starts.
    /// </summary>
    public static bool TryFindDefaultHandler(ReadOnlySpan<char> content, out int offset)
    {
        var from = 0;
        while (from < content.Length)
        {
            var at = content[from..].IndexOf(Keyword, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            at += from;
            from = at + Keyword.Length;
            var declared = at == 0 || (at >= 2 && content[at - 1] == '!' && content[at - 2] == '<');
            if (declared && DeclaresDefaultHandler(content, ref from))
            {
                offset = at == 0 ? 0 : at - 2;
                return true;
            }
        }

        offset = 0;
        return false;
    }

    // One declaration: an element name, then (attribute name, type, default) triples, up to '>'. The position
    // moves past what was read, so the caller's search stays linear.
    private static bool DeclaresDefaultHandler(ReadOnlySpan<char> content, ref int i)
    {
        var expect = Expect.ElementName;
        var handler = false;
        while (true)
        {
            while (i < content.Length && (char.IsWhiteSpace(content[i]) || content[i] == '\0'))
            {
                i++;
            }

            if (i >= content.Length || content[i] == '>')
            {
                return false;
            }

            var start = i;
            var quoted = content[i] is '"' or '\'';
            if (quoted)
            {
                var close = content[(i + 1)..].IndexOf(content[i]);
                i = close < 0 ? content.Length : i + close + 2;
            }
            else if (content[i] == '(')
            {
                var close = content[i..].IndexOf(')');
                i = close < 0 ? content.Length : i + close + 1;
            }
            else
            {
                while (i < content.Length && !char.IsWhiteSpace(content[i]) && content[i] is not ('>' or '"' or '\''))
                {
                    i++;
                }
            }

            var item = content[start..i];
            switch (expect)
            {
                case Expect.ElementName:
                    expect = Expect.AttributeName;
                    break;
                case Expect.AttributeName:
                    handler = !quoted && XssVocabulary.IsKnownEventHandler(item);
                    expect = Expect.Type;
                    break;
                case Expect.Type:
                    expect = Expect.Default;
                    break;
                case Expect.Default when quoted:
                    if (handler && item.Length > 2 && !item[1..^1].Trim().IsEmpty)
                    {
                        return true;
                    }

                    expect = Expect.AttributeName;
                    break;
                default:
                    // #REQUIRED and #IMPLIED end the definition; #FIXED is followed by the value.
                    expect = item.Equals("#FIXED", StringComparison.Ordinal) ? Expect.Default : Expect.AttributeName;
                    break;
            }
        }
    }
}
