using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Judges one attribute the way a strict sanitizer would: an event handler, a style that runs script, or a
/// value whose URL scheme runs script (in any attribute: <c>&lt;a folder="javascript:..."&gt;</c> and
/// <c>&lt;set to="javascript:..."&gt;</c> count too), judged after character references are decoded.
/// </summary>
internal static class AttributeInspector
{
    private const int StackChars = 256;

    /// <summary>Where the attribute was found.</summary>
    public enum Context
    {
        /// <summary>Inside a real tag (<c>&lt;x onclick=...&gt;</c>): any <c>on*</c> attribute with a value counts.</summary>
        Tag,

        /// <summary>
        /// After a quote closed the attribute the value was written into (<c>" onfocus="x</c>): the evidence is
        /// weaker, so a handler must be one browsers fire or call a script sink, and a script URL only counts in a
        /// URL attribute.
        /// </summary>
        Breakout,

        /// <summary>
        /// After a space ended an unquoted attribute (<c>x onerror=alert(1)</c>): no quote shows intent, and
        /// <c>onerror=None</c> is everyday Python, so a handler must call a script sink.
        /// </summary>
        UnquotedBreakout,
    }

    public static bool TryJudge(in HtmlAttributeToken attribute, Context context, out DetectorMatch match)
    {
        match = default;
        var breakout = context != Context.Tag;
        if (attribute.IsCutOff)
        {
            return context != Context.UnquotedBreakout && TryJudgeCutOff(attribute, breakout, out match);
        }

        if (!attribute.HasValue || attribute.Value.IsEmpty)
        {
            return false;
        }

        // "ja&Tab;vascript:": the spelling is the evidence, with or without code after the colon. After a break-out
        // only in a URL attribute, as for any script URL.
        if (((!breakout || XssVocabulary.IsUrlAttribute(attribute.Name)) && UrlInspector.HasObfuscatedScriptScheme(attribute.Value))
            || (!breakout && XssVocabulary.IsUrlAttribute(attribute.Name) && UrlInspector.SpellsScriptSchemeInReferences(attribute.Value)))
        {
            match = new DetectorMatch(XssReasons.ObfuscatedScriptScheme, attribute.Start, attribute.Length, 85);
            return true;
        }

        // Buffers are only taken when there is something to decode: most attributes have no references.
        using var scratch = new TextScratch(attribute.Value.Contains('&') ? stackalloc char[StackChars] : default);
        var value = scratch.DecodeEntities(attribute.Value);
        var name = attribute.Name;

        // A namespace prefix does not stop a handler from firing in XML documents (x:ontimer in WML).
        var colon = name.IndexOf(':');
        var localName = colon > 0 ? name[(colon + 1)..] : name;
        if (XssVocabulary.IsEventHandlerName(localName))
        {
            var code = value.Trim(" \t\n\f\r");
            if (!code.IsEmpty && (context == Context.Tag
                || (context == Context.Breakout && XssVocabulary.IsKnownEventHandler(XssVocabulary.HandlerStem(localName)))
                || JsInspector.TryFind(code, JsInspector.Mode.Sinks, out _)))
            {
                match = new DetectorMatch(breakout ? XssReasons.BreakoutEventHandler : XssReasons.EventHandler, attribute.Start, attribute.Length, breakout ? 85 : 90);
                return true;
            }
        }

        if (name.Equals("style", StringComparison.OrdinalIgnoreCase) && CssInspector.TryFind(value, CssInspector.Context.Declarations, out _))
        {
            match = new DetectorMatch(breakout ? XssReasons.BreakoutStyle : XssReasons.DangerousStyleAttribute, attribute.Start, attribute.Length, 85);
            return true;
        }

        if (!breakout && name.Equals("style", StringComparison.OrdinalIgnoreCase) && CssSmuggling.TryFind(value, styleSheet: false, out _))
        {
            match = new DetectorMatch(XssReasons.CssSmuggling, attribute.Start, attribute.Length, 70);
            return true;
        }

        // <a href="http://%77%77%77%2E%67...">: a link whose host is disguised, which only hides where it leads.
        if (!breakout && XssVocabulary.IsUrlAttribute(name) && UrlInspector.HasDisguisedHost(value))
        {
            match = new DetectorMatch(XssReasons.DisguisedLinkHost, attribute.Start, attribute.Length, 70);
            return true;
        }

        // IE data binding: the bound XML is inserted as HTML.
        if (!breakout && name.Equals("dataformatas", StringComparison.OrdinalIgnoreCase) && value.Trim().Equals("html", StringComparison.OrdinalIgnoreCase))
        {
            match = new DetectorMatch(XssReasons.DataBinding, attribute.Start, attribute.Length, 70);
            return true;
        }

        // Internet Explorer dropped comments inside attribute values of XML islands: "javas<!-- -->cript:".
        var hasComment = value.Contains("<!--", StringComparison.Ordinal) && value.Length <= StackChars;
        Span<char> uncommented = hasComment ? stackalloc char[StackChars] : default;
        if (hasComment)
        {
            value = uncommented[..RemoveComments(value, uncommented)];
        }

        var threat = UrlInspector.Classify(value, out var codeStart);
        var dangerous = threat switch
        {
            _ when breakout && !XssVocabulary.IsUrlAttribute(name) => false,
            UrlInspector.Threat.JavaScript => RunsCode(value[codeStart..]),
            UrlInspector.Threat.LegacyScript or UrlInspector.Threat.VbScript => !value[codeStart..].Trim().IsEmpty,
            UrlInspector.Threat.ScriptableData => XssVocabulary.IsUrlAttribute(name),
            _ => false,
        };
        if (!dangerous && XssVocabulary.IsUrlAttribute(name))
        {
            var embedded = UrlInspector.IndexOfEmbeddedScriptScheme(value);
            if (embedded > 0 && JsInspector.TryFind(value[embedded..], JsInspector.Mode.Sinks, out _))
            {
                threat = UrlInspector.Threat.JavaScript;
                dangerous = true;
            }
        }

        if (dangerous)
        {
            var reason = threat == UrlInspector.Threat.ScriptableData ? XssReasons.DataUrlInAttribute
                : breakout ? XssReasons.BreakoutScriptUrl : XssReasons.ScriptUrlInAttribute;
            match = new DetectorMatch(reason, attribute.Start, attribute.Length, 90);
            return true;
        }

        return false;
    }

    // "<x onend=" at the very end of a value: the handler's code is whatever the page puts next. A break-out
    // ("\"onzoom=") needs a handler browsers fire.
    private static bool TryJudgeCutOff(in HtmlAttributeToken attribute, bool breakout, out DetectorMatch match)
    {
        match = default;
        var name = attribute.Name;
        if (!XssVocabulary.IsEventHandlerName(name) || (breakout && !XssVocabulary.IsKnownEventHandler(XssVocabulary.HandlerStem(name))))
        {
            return false;
        }

        match = new DetectorMatch(breakout ? XssReasons.BreakoutEventHandler : XssReasons.EventHandler, attribute.Start, attribute.Length, 70);
        return true;
    }

    /// <summary>
    /// True when the code of a <c>javascript:</c> URL does anything but nothing (<c>void(0)</c>, <c>;</c>) and is not
    /// prose (<c>javascript: the good parts</c>). Browsers percent-decode the URL before running it, so
    /// <c>%61lert(1)</c> is decoded first.
    /// </summary>
    public static bool RunsCode(ReadOnlySpan<char> code)
    {
        if (!code.Contains('%'))
        {
            return JsInspector.TryFind(code, JsInspector.Mode.Executable, out _);
        }

        using var scratch = new TextScratch(stackalloc char[StackChars]);
        var decoded = PercentDecode(code, scratch.Get(code.Length));
        return JsInspector.TryFind(decoded, JsInspector.Mode.Executable, out _);
    }

    private static int RemoveComments(ReadOnlySpan<char> text, Span<char> output)
    {
        var written = 0;
        while (!text.IsEmpty)
        {
            var open = text.IndexOf("<!--", StringComparison.Ordinal);
            var keep = open < 0 ? text : text[..open];
            keep.CopyTo(output[written..]);
            written += keep.Length;
            if (open < 0)
            {
                break;
            }

            var close = text[(open + 4)..].IndexOf("-->", StringComparison.Ordinal);
            text = close < 0 ? [] : text[(open + 4 + close + 3)..];
        }

        return written;
    }

    // Single-byte %XX escapes only: enough for the ASCII a script is written in.
    private static ReadOnlySpan<char> PercentDecode(ReadOnlySpan<char> text, Span<char> output)
    {
        var written = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                c = (char)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }

            output[written++] = c;
        }

        return output[..written];
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
