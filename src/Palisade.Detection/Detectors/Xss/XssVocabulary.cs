using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// The names the XSS judgement knows: which elements and attributes carry script or load documents, which
/// elements switch the browser's tokenizer to raw text, which event handlers browsers fire. Lookups take the
/// span as written and ignore ASCII case, as HTML does.
/// </summary>
internal static class XssVocabulary
{
    /// <summary>What an element is, as far as script is concerned.</summary>
    public enum ElementKind
    {
        Ordinary,
        Script,
        Embedding,
        Base,
        Meta,
        Link,
        Style,
        Animation,
        Foreign,
        DataIsland,
        BehaviorImport,
        XmlEventsHandler,
    }

    private static readonly FrozenDictionary<string, ElementKind> Elements = new Dictionary<string, ElementKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["script"] = ElementKind.Script,

        // Elements that load and run another document or a plug-in; they count once an attribute loads something
        // (IsLoadingAttribute), since the bare words also name types in code ("List<Object>").
        ["iframe"] = ElementKind.Embedding,
        ["frame"] = ElementKind.Embedding,
        ["object"] = ElementKind.Embedding,
        ["embed"] = ElementKind.Embedding,
        ["applet"] = ElementKind.Embedding,
        ["portal"] = ElementKind.Embedding,
        ["fencedframe"] = ElementKind.Embedding,
        ["vmlframe"] = ElementKind.Embedding,
        ["layer"] = ElementKind.Embedding,
        ["ilayer"] = ElementKind.Embedding,

        ["base"] = ElementKind.Base,
        ["meta"] = ElementKind.Meta,
        ["link"] = ElementKind.Link,
        ["style"] = ElementKind.Style,

        // SVG animation elements can set any attribute of their target, href and event handlers included.
        ["set"] = ElementKind.Animation,
        ["animate"] = ElementKind.Animation,

        // Internet Explorer: XML data islands load a document; <import implementation> loads an element behavior.
        ["xml"] = ElementKind.DataIsland,
        ["import"] = ElementKind.BehaviorImport,

        // XML Events / SVG Tiny 1.2: the content of <handler ev:event="load"> is script.
        ["handler"] = ElementKind.XmlEventsHandler,

        ["svg"] = ElementKind.Foreign,
        ["math"] = ElementKind.Foreign,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, ElementKind>.AlternateLookup<ReadOnlySpan<char>> ElementLookup =
        Elements.GetAlternateLookup<ReadOnlySpan<char>>();

    // Elements whose content the browser's tree builder hands to the tokenizer as raw text or RCDATA.
    private static readonly FrozenSet<string> RawTextElements = new[]
    {
        "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RawTextLookup =
        RawTextElements.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string> LoadingAttributes = new[]
    {
        "src", "data", "code", "codebase", "classid", "archive", "srcdoc", "object", "movie",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> LoadingAttributeLookup =
        LoadingAttributes.GetAlternateLookup<ReadOnlySpan<char>>();

    // Attributes whose value the browser resolves as a URL and may navigate to, load or run.
    private static readonly FrozenSet<string> UrlAttributes = new[]
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "background", "lowsrc", "dynsrc", "poster",
        "codebase", "classid", "code", "archive", "cite", "longdesc", "usemap", "profile", "manifest", "icon",
        "ping", "folder", "datasrc", "xml:base",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> UrlAttributeLookup =
        UrlAttributes.GetAlternateLookup<ReadOnlySpan<char>>();

    // Event handler attributes browsers fire today or fired in the past (IE, Opera, Gecko). Inside a real tag
    // any on* attribute counts; this list is for weaker contexts (a value breaking out of an attribute).
    private static readonly FrozenSet<string> EventHandlers = new[]
    {
        "onabort", "onactivate", "onafterprint", "onafterscriptexecute", "onanimationcancel", "onanimationend",
        "onanimationiteration", "onanimationstart", "onauxclick", "onbeforeactivate", "onbeforecopy",
        "onbeforecut", "onbeforedeactivate", "onbeforeinput", "onbeforematch", "onbeforepaste", "onbeforeprint",
        "onbeforescriptexecute", "onbeforetoggle", "onbeforeunload", "onbegin", "onblur", "onbounce", "oncancel",
        "oncanplay", "oncanplaythrough", "onchange", "onclick", "onclose", "oncontextlost", "oncontextmenu",
        "oncontextrestored", "oncopy", "oncuechange", "oncut", "ondblclick", "ondeactivate", "ondrag", "ondragend",
        "ondragenter", "ondragexit", "ondragleave", "ondragover", "ondragstart", "ondrop", "ondurationchange",
        "onemptied", "onend", "onended", "onerror", "onfinish", "onfocus", "onfocusin", "onfocusout", "onformdata",
        "onfullscreenchange", "onhashchange", "onhelp", "oninput", "oninvalid", "onkeydown", "onkeypress",
        "onkeyup", "onload", "onloadeddata", "onloadedmetadata", "onloadend", "onloadstart", "onlosecapture",
        "onmessage", "onmousedown", "onmouseenter", "onmouseleave", "onmousemove", "onmouseout", "onmouseover",
        "onmouseup", "onmousewheel", "onmove", "onoffline", "ononline", "onorientationchange", "onpagehide",
        "onpageshow", "onpaste", "onpause", "onplay", "onplaying", "onpointercancel", "onpointerdown",
        "onpointerenter", "onpointerleave", "onpointermove", "onpointerout", "onpointerover", "onpointerrawupdate",
        "onpointerup", "onpopstate", "onprogress", "onpropertychange", "onratechange", "onreadystatechange",
        "onrepeat", "onreset", "onresize", "onscroll", "onscrollend", "onsearch", "onseeked", "onseeking",
        "onselect", "onselectionchange", "onselectstart", "onshow", "onslotchange", "onstalled", "onstart",
        "onstorage", "onsubmit", "onsuspend", "ontimeupdate", "ontoggle", "ontouchcancel", "ontouchend",
        "ontouchmove", "ontouchstart", "ontransitioncancel", "ontransitionend", "ontransitionrun",
        "ontransitionstart", "onunload", "onvolumechange", "onwaiting", "onwebkitanimationend",
        "onwebkitplaybacktargetavailabilitychanged",
        "onwebkittransitionend", "onwheel", "onzoom",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> EventHandlerLookup =
        EventHandlers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Classifies a tag name. A namespace prefix is ignored: <c>&lt;x:script xmlns:x="...xhtml"&gt;</c> is a script
    /// once the document is read as XML, <c>&lt;v:vmlframe&gt;</c> a frame in IE.
    /// </summary>
    public static ElementKind ClassifyElement(ReadOnlySpan<char> tagName)
    {
        var colon = tagName.LastIndexOf(':');
        var local = colon >= 0 ? tagName[(colon + 1)..] : tagName;
        return ElementLookup.TryGetValue(local, out var kind) ? kind : ElementKind.Ordinary;
    }

    /// <summary>
    /// Classifies a tag name that is not an element as written but reads as one once obfuscation is undone: NUL
    /// characters and their C escape (<c>scr\0ipt</c>, old Internet Explorer skipped NUL), character references and
    /// the whitespace they stand for (<c>scr&amp;#x9ipt</c>, for a filter that decodes before it parses), or junk after
    /// the name (<c>script#</c>, where parsers that end a name at the first non-name character see <c>script</c>).
    /// Only <see cref="ElementKind.Script"/> counts so spelled.
    /// </summary>
    public static ElementKind ClassifyObfuscatedElement(ReadOnlySpan<char> tagName)
    {
        const int MaxName = 32;
        if (tagName.Length > MaxName * 8)
        {
            return ElementKind.Ordinary;
        }

        Span<char> folded = stackalloc char[MaxName];
        var length = 0;
        var changed = false;
        for (var i = 0; i < tagName.Length; i++)
        {
            int c = tagName[i];
            if (c == '&')
            {
                var consumed = HtmlEntityDecoder.TryDecode(tagName[i..], inAttribute: false, out c);
                if (consumed == 0)
                {
                    break;
                }

                i += consumed - 1;
                changed = true;
            }
            else if (c == '\\' && i + 1 < tagName.Length && tagName[i + 1] == '0')
            {
                i++;
                changed = true;
                continue;
            }

            if (c <= ' ' || c == 0x7F)
            {
                changed = true;
                continue;
            }

            if (!char.IsAsciiLetter((char)c))
            {
                // Junk after a name ends it; digits and the punctuation of custom and prefixed names continue it.
                if (c < 0x80 && (char.IsAsciiDigit((char)c) || c is '-' or '_' or ':' or '.'))
                {
                    return ElementKind.Ordinary;
                }

                changed = true;
                break;
            }

            if (length == MaxName)
            {
                return ElementKind.Ordinary;
            }

            folded[length++] = (char)c;
        }

        if (!changed)
        {
            return ElementKind.Ordinary;
        }

        return ElementLookup.TryGetValue(folded[..length], out var kind) && kind == ElementKind.Script ? kind : ElementKind.Ordinary;
    }

    /// <summary>The directives of server-side includes (Apache mod_include, IIS, nginx ssi): <c>&lt;!--#exec ...--&gt;</c>.</summary>
    public static bool IsServerSideIncludeDirective(ReadOnlySpan<char> name) =>
        name.Equals("include", StringComparison.OrdinalIgnoreCase) || name.Equals("exec", StringComparison.OrdinalIgnoreCase)
        || name.Equals("echo", StringComparison.OrdinalIgnoreCase) || name.Equals("set", StringComparison.OrdinalIgnoreCase)
        || name.Equals("config", StringComparison.OrdinalIgnoreCase) || name.Equals("fsize", StringComparison.OrdinalIgnoreCase)
        || name.Equals("flastmod", StringComparison.OrdinalIgnoreCase) || name.Equals("printenv", StringComparison.OrdinalIgnoreCase)
        || name.Equals("if", StringComparison.OrdinalIgnoreCase) || name.Equals("elif", StringComparison.OrdinalIgnoreCase);

    /// <summary>Attributes through which an embedding element loads a document, plug-in or script.</summary>
    public static bool IsLoadingAttribute(ReadOnlySpan<char> name) => LoadingAttributeLookup.Contains(name);

    /// <summary><c>http-equiv</c> values that act: redirect (to a script URL, too), set a cookie, load a stylesheet.</summary>
    public static bool IsDangerousHttpEquiv(ReadOnlySpan<char> value) =>
        value.Equals("refresh", StringComparison.OrdinalIgnoreCase) || value.Equals("set-cookie", StringComparison.OrdinalIgnoreCase)
        || value.Equals("link", StringComparison.OrdinalIgnoreCase);

    /// <summary>Charsets that turn harmless-looking text into markup: UTF-7 (<c>+ADw-</c>), and mac-farsi and kin.</summary>
    public static bool IsScriptSmugglingCharset(ReadOnlySpan<char> value) =>
        value.Contains("utf-7", StringComparison.OrdinalIgnoreCase) || value.Contains("utf7", StringComparison.OrdinalIgnoreCase)
        || value.Contains("farsi", StringComparison.OrdinalIgnoreCase);

    /// <summary>A media type of script: <c>text/javascript</c>, <c>application/ecmascript</c>, <c>text/vbscript</c>...</summary>
    public static bool IsScriptMediaType(ReadOnlySpan<char> type) =>
        type.Contains("javascript", StringComparison.OrdinalIgnoreCase)
        || type.Contains("ecmascript", StringComparison.OrdinalIgnoreCase)
        || type.Contains("vbscript", StringComparison.OrdinalIgnoreCase)
        || type.Equals("text/vbs", StringComparison.OrdinalIgnoreCase);

    /// <summary>An attribute that declares a namespace: <c>xmlns</c> or <c>xmlns:prefix</c>.</summary>
    public static bool IsNamespaceDeclaration(ReadOnlySpan<char> name) =>
        name.StartsWith("xmlns", StringComparison.OrdinalIgnoreCase) && (name.Length == 5 || name[5] == ':');

    /// <summary>The namespace of XSLT: its elements transform the document they are applied to.</summary>
    public static bool IsXsltNamespace(ReadOnlySpan<char> uri) =>
        uri.Equals("http://www.w3.org/1999/XSL/Transform", StringComparison.OrdinalIgnoreCase);

    public static bool IsRawTextElement(ReadOnlySpan<char> tagName) => RawTextLookup.Contains(tagName);

    public static bool IsPlainTextElement(ReadOnlySpan<char> tagName) => tagName.Equals("plaintext", StringComparison.OrdinalIgnoreCase);

    public static bool IsUrlAttribute(ReadOnlySpan<char> name) => UrlAttributeLookup.Contains(name);

    public static bool IsKnownEventHandler(ReadOnlySpan<char> name) => EventHandlerLookup.Contains(name);

    /// <summary>
    /// True for an event handler attribute name: <c>on</c> and at least three ASCII letters (<c>onload</c>,
    /// <c>onxxx</c>), optionally followed by junk no real attribute name has (<c>onload!#$=</c> in old Gecko).
    /// Names that continue as a word (<c>online-status</c>, <c>on_sale</c>) are not handlers.
    /// </summary>
    public static bool IsEventHandlerName(ReadOnlySpan<char> name)
    {
        if (name.Length < 5 || (name[0] | 0x20) != 'o' || (name[1] | 0x20) != 'n')
        {
            return false;
        }

        var letters = 2;
        while (letters < name.Length && char.IsAsciiLetter(name[letters]))
        {
            letters++;
        }

        if (letters < 5)
        {
            return false;
        }

        return letters == name.Length || !(char.IsAsciiDigit(name[letters]) || name[letters] is '-' or '_' or '.' or ':');
    }

    /// <summary>The name up to its first non-letter (for <c>onload!#$</c>, <c>onload</c>).</summary>
    public static ReadOnlySpan<char> HandlerStem(ReadOnlySpan<char> name)
    {
        var end = 0;
        while (end < name.Length && char.IsAsciiLetter(name[end]))
        {
            end++;
        }

        return name[..end];
    }
}
