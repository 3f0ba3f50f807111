using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Walks a value's HTML tokens (<see cref="HtmlTokenizer"/>) and judges them like a strict sanitizer: which
/// elements must never come from a user, which attributes run script, which URLs and styles do.
/// </summary>
/// <remarks>
/// <para>Elements: <c>script</c>; elements that embed documents or plug-ins (<c>iframe</c>, <c>frame</c>, <c>object</c>,
/// <c>embed</c>, <c>applet</c>, VML frames) once an attribute loads something (a bare <c>&lt;object&gt;</c> is as often
/// <c>List&lt;Object&gt;</c> in code or a placeholder in prose); <c>base</c> (re-points every relative URL); <c>meta</c>
/// that refreshes, sets a cookie or switches to a charset that smuggles markup (UTF-7);
/// <c>link rel=import</c>; <c>style</c> whose CSS runs script or imports a sheet; SVG <c>set</c>/<c>animate</c> that
/// write an event handler; any element that declares the XSLT namespace, or a namespace prefix without a URI (IE's
/// hook for element behaviors). Every other element passes unless an attribute fails (<see cref="AttributeInspector"/>),
/// so the formatting tags, links and images of rich text pass.</para>
/// <para>Markup hidden where a browser would not render it, but another context would (inside a comment, raw
/// text such as <c>&lt;title&gt;</c> or <c>&lt;noscript&gt;</c>, or an attribute value), is inspected again, to a bounded
/// depth: <c>&lt;!--&lt;img src="--&gt;&lt;img src=x onerror=alert(1)//"&gt;</c> or <c>&lt;a title="&lt;svg onload=...&gt;"&gt;</c>
/// are written for a parser that disagrees with ours. <c>srcdoc</c> is decoded and inspected as the document it is.</para>
/// </remarks>
internal static class MarkupInspector
{
    private const int MaxDepth = 2;
    private const int StackChars = 256;

    private enum RawText
    {
        None,
        Style,
        Other,

        /// <summary>The text after a <c>&lt;handler&gt;</c> start tag: script, for an SVG Tiny or XML Events reader.</summary>
        Handler,
    }

    /// <summary>Finds the first construct that runs script; the match is relative to <paramref name="html"/>.</summary>
    public static bool TryFind(ReadOnlySpan<char> html, out DetectorMatch match) => TryFind(html, 0, out match);

    private static bool TryFind(ReadOnlySpan<char> html, int depth, out DetectorMatch match)
    {
        var tokenizer = new HtmlTokenizer(html);
        var foreignDepth = 0;
        var mathDepth = 0;
        var rawText = RawText.None;
        while (tokenizer.Read())
        {
            var expected = rawText;
            rawText = RawText.None;
            switch (tokenizer.Kind)
            {
                case HtmlTokenKind.StartTag:
                    if (TryJudgeStartTag(ref tokenizer, depth, ref foreignDepth, ref mathDepth, ref rawText, out match))
                    {
                        return true;
                    }

                    break;

                case HtmlTokenKind.EndTag:
                    if (foreignDepth > 0 && XssVocabulary.ClassifyElement(tokenizer.Content) == XssVocabulary.ElementKind.Foreign)
                    {
                        foreignDepth--;
                        tokenizer.AllowCData = foreignDepth > 0;
                        if (mathDepth > 0 && tokenizer.Content.Equals("math", StringComparison.OrdinalIgnoreCase))
                        {
                            mathDepth--;
                        }
                    }

                    break;

                case HtmlTokenKind.Text when expected == RawText.Style:
                    if (CssInspector.TryFind(tokenizer.Content, CssInspector.Context.StyleSheet, out _))
                    {
                        match = new DetectorMatch(XssReasons.DangerousStyleElement, tokenizer.TokenStart, tokenizer.TokenEnd - tokenizer.TokenStart, 85);
                        return true;
                    }

                    if (CssSmuggling.TryFind(tokenizer.Content, styleSheet: true, out var smuggled))
                    {
                        match = new DetectorMatch(XssReasons.CssSmuggling, tokenizer.ContentStart + smuggled, tokenizer.TokenEnd - tokenizer.ContentStart - smuggled, 70);
                        return true;
                    }

                    break;

                // <handler id="y">alert(1)</handler>: outside <svg> and without an event attribute a handler
                // element is as often a Java handler chain's, so its content has to call a sink to count.
                case HtmlTokenKind.Text when expected == RawText.Handler:
                    if (JsInspector.TryFind(tokenizer.Content, JsInspector.Mode.Sinks, out var call))
                    {
                        match = new DetectorMatch(XssReasons.ScriptElement, tokenizer.ContentStart + call.Start, call.Length, 80);
                        return true;
                    }

                    break;

                // <!DOCTYPE x [ <!ATTLIST img onerror CDATA "alert(1)"> ]><img />
                case HtmlTokenKind.Doctype:
                    if (TryJudgeAttributeList(tokenizer.Content, tokenizer.ContentStart, tokenizer.TokenEnd, out match))
                    {
                        return true;
                    }

                    break;

                case HtmlTokenKind.Text when expected == RawText.Other:
                case HtmlTokenKind.Comment:
                case HtmlTokenKind.BogusComment:
                case HtmlTokenKind.CData:
                    if (tokenizer.Kind == HtmlTokenKind.Comment && TryJudgeServerSideInclude(tokenizer.Content, tokenizer.TokenStart, tokenizer.TokenEnd, out match))
                    {
                        return true;
                    }

                    if (tokenizer.Kind == HtmlTokenKind.BogusComment
                        && (TryJudgeProcessingInstruction(tokenizer.Content, tokenizer.ContentStart, out match)
                            || TryJudgeEntityDeclaration(tokenizer.Content, tokenizer.TokenStart, tokenizer.TokenEnd, depth, out match)
                            || TryJudgeAttributeList(tokenizer.Content, tokenizer.ContentStart, tokenizer.TokenEnd, out match)))
                    {
                        return true;
                    }

                    if (TryFindHidden(tokenizer.Content, tokenizer.ContentStart, depth, out match))
                    {
                        return true;
                    }

                    break;
            }
        }

        match = default;
        return false;
    }

    // An absolute or scheme-relative URL, or a data: URL: not a path of the page's own site.
    private static bool PointsElsewhere(ReadOnlySpan<char> url)
    {
        url = url.Trim();
        return url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith(@"\\", StringComparison.Ordinal)
            || url.Contains("://", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryJudgeStartTag(ref HtmlTokenizer tokenizer, int depth, ref int foreignDepth, ref int mathDepth, ref RawText rawText, out DetectorMatch match)
    {
        match = default;
        var name = tokenizer.Content;
        var kind = XssVocabulary.ClassifyElement(name);
        var obfuscatedKind = kind == XssVocabulary.ElementKind.Ordinary ? XssVocabulary.ClassifyObfuscatedElement(name) : kind;
        var inMath = mathDepth > 0;
        var tagStart = tokenizer.TokenStart;
        var nameEnd = tokenizer.ContentStart + tokenizer.ContentLength;
        var hasHttpEquivOrCharset = false;
        var importsDocument = false;
        var isStylesheet = false;
        var hrefElsewhere = false;
        var animatesHandler = false;
        var runsStyleAsScript = false;
        var declaresScript = false;
        var hasSource = false;
        var loadsContent = false;
        var hasImplementation = false;
        var handlerWithoutValue = -1;
        var hasEventAttribute = false;
        var hasHandlerAttribute = false;
        DetectorMatch? found = null;

        while (tokenizer.TryReadAttribute(out var attribute))
        {
            if (found is not null)
            {
                continue;
            }

            if (AttributeInspector.TryJudge(attribute, AttributeInspector.Context.Tag, out var attributeMatch))
            {
                found = attributeMatch;
                continue;
            }

            var attributeName = attribute.Name;
            var value = attribute.Value.Trim();

            // "onerror/=alert(0)", "onload!#$/|\]^`=alert(1)": a slash parts the handler from its value for a browser,
            // not for intent; what follows is a name of punctuation only, or starts with '='.
            if (handlerWithoutValue >= 0 && (attributeName[0] == '=' || (attribute.HasValue && IsPunctuationOnly(attributeName))))
            {
                found = new DetectorMatch(XssReasons.EventHandler, handlerWithoutValue, attribute.End - handlerWithoutValue, 80);
                continue;
            }

            handlerWithoutValue = !attribute.HasValue && XssVocabulary.IsEventHandlerName(attributeName) ? attribute.Start : -1;
            hasSource |= attributeName.Equals("src", StringComparison.OrdinalIgnoreCase);
            loadsContent |= XssVocabulary.IsLoadingAttribute(attributeName);

            // <handler type="application/ecmascript"> (SVG), <link type="text/javascript">: content or target is script.
            declaresScript |= kind != XssVocabulary.ElementKind.Style && attributeName.Equals("type", StringComparison.OrdinalIgnoreCase)
                && XssVocabulary.IsScriptMediaType(value);
            hasImplementation |= attributeName.Equals("implementation", StringComparison.OrdinalIgnoreCase);
            hasEventAttribute |= attributeName.EndsWith("event", StringComparison.OrdinalIgnoreCase);
            hasHandlerAttribute |= attributeName.EndsWith("handler", StringComparison.OrdinalIgnoreCase);
            switch (kind)
            {
                case XssVocabulary.ElementKind.Meta:
                    hasHttpEquivOrCharset |= (attributeName.Equals("http-equiv", StringComparison.OrdinalIgnoreCase) && XssVocabulary.IsDangerousHttpEquiv(value))
                        || ((attributeName.Equals("charset", StringComparison.OrdinalIgnoreCase) || attributeName.Equals("content", StringComparison.OrdinalIgnoreCase))
                            && XssVocabulary.IsScriptSmugglingCharset(value));
                    break;
                case XssVocabulary.ElementKind.Link:
                    importsDocument |= attributeName.Equals("rel", StringComparison.OrdinalIgnoreCase)
                        && value.Contains("import", StringComparison.OrdinalIgnoreCase);
                    isStylesheet |= attributeName.Equals("rel", StringComparison.OrdinalIgnoreCase)
                        && value.Contains("stylesheet", StringComparison.OrdinalIgnoreCase);
                    hrefElsewhere |= attributeName.Equals("href", StringComparison.OrdinalIgnoreCase) && PointsElsewhere(value);
                    break;
                case XssVocabulary.ElementKind.Style:
                    // Netscape's JavaScript style sheets: <style type="text/javascript">.
                    runsStyleAsScript |= attributeName.Equals("type", StringComparison.OrdinalIgnoreCase)
                        && value.Contains("javascript", StringComparison.OrdinalIgnoreCase);
                    break;
                case XssVocabulary.ElementKind.Animation:
                    animatesHandler |= attributeName.Equals("attributeName", StringComparison.OrdinalIgnoreCase)
                        && (XssVocabulary.IsEventHandlerName(value) || value.EndsWith("href", StringComparison.OrdinalIgnoreCase));
                    break;
            }

            // <xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform">: a style sheet that rewrites the XML
            // document it sits in (through <?xml-stylesheet href="#id"?>), script and all.
            if (XssVocabulary.IsNamespaceDeclaration(attributeName) && XssVocabulary.IsXsltNamespace(value))
            {
                found = new DetectorMatch(XssReasons.EmbeddedXslt, attribute.Start, attribute.Length, 75);
                continue;
            }

            // <html xmlns:x>: a prefix bound to no namespace is not XML; it names the prefix that Internet Explorer's
            // <?import namespace="x" implementation="...htc"> gives an element behavior (script).
            if (attributeName.StartsWith("xmlns:", StringComparison.OrdinalIgnoreCase) && attributeName.Length > 6 && value.IsEmpty)
            {
                found = new DetectorMatch(XssReasons.BehaviorNamespace, attribute.Start, attribute.Length, 70);
                continue;
            }

            // <math><a xlink:href="//elsewhere">: in MathML any element links through xlink:href (Gecko), a link that
            // a sanitizer looking for <a href> does not see. A reference inside the document ("#id") passes.
            if (inMath && attributeName.Equals("xlink:href", StringComparison.OrdinalIgnoreCase) && !value.StartsWith('#'))
            {
                found = new DetectorMatch(XssReasons.MathMlLink, attribute.Start, attribute.Length, 70);
                continue;
            }

            if (depth < MaxDepth && attribute.Value.IndexOfAny('<', '&') >= 0
                && TryFindInAttributeValue(attribute, attributeName.Equals("srcdoc", StringComparison.OrdinalIgnoreCase), depth, out var hidden))
            {
                found = hidden;
            }
            else if (attribute.Value.StartsWith('`') && TryJudgeBacktickQuoted(attribute, out var afterBacktick))
            {
                found = afterBacktick;
            }
        }

        var tagLength = Math.Max(tokenizer.TokenEnd, nameEnd) - tagStart;
        string? elementReason = kind switch
        {
            XssVocabulary.ElementKind.Script => XssReasons.ScriptElement,
            _ when obfuscatedKind == XssVocabulary.ElementKind.Script => XssReasons.ObfuscatedScriptElement,
            XssVocabulary.ElementKind.Embedding when loadsContent => XssReasons.EmbeddingElement,
            XssVocabulary.ElementKind.DataIsland when hasSource => XssReasons.EmbeddingElement,
            XssVocabulary.ElementKind.BehaviorImport when hasImplementation => XssReasons.BehaviorImport,
            XssVocabulary.ElementKind.Style when runsStyleAsScript => XssReasons.DangerousStyleElement,
            XssVocabulary.ElementKind.Base => XssReasons.BaseElement,
            _ when declaresScript => XssReasons.ScriptElement,
            XssVocabulary.ElementKind.XmlEventsHandler when foreignDepth > 0 || hasEventAttribute => XssReasons.ScriptElement,

            // XML Events: an element with event="load" and handler="#id" (or ev:event / ev:handler) binds script to an event.
            _ when hasEventAttribute && hasHandlerAttribute => XssReasons.EventHandler,
            XssVocabulary.ElementKind.Meta when hasHttpEquivOrCharset => XssReasons.MetaElement,
            XssVocabulary.ElementKind.Link when importsDocument => XssReasons.LinkImport,

            // A style sheet from another origin styles the page as its author likes and reads it out through
            // selectors (CSS exfiltration); old engines also ran its expression() and behaviors.
            XssVocabulary.ElementKind.Link when isStylesheet && hrefElsewhere => XssReasons.LinkStylesheet,
            XssVocabulary.ElementKind.Animation when animatesHandler => XssReasons.AnimationOfHandler,
            _ => null,
        };

        // The element explains more than its attribute ("script element" rather than "javascript: URL in
        // attribute" for <script src=javascript:...>), except for handlers, which are the payload itself.
        if (elementReason is not null && found is not { Reason: XssReasons.EventHandler })
        {
            match = new DetectorMatch(elementReason, tagStart, tagLength, ElementScore(kind));
            return true;
        }

        if (found is { } attributeFinding)
        {
            match = attributeFinding;
            return true;
        }

        // What the tree builder would tell the tokenizer next.
        if (foreignDepth == 0)
        {
            if (XssVocabulary.IsRawTextElement(name))
            {
                tokenizer.EnterRawText();
                rawText = kind == XssVocabulary.ElementKind.Style ? RawText.Style : RawText.Other;
            }
            else if (XssVocabulary.IsPlainTextElement(name))
            {
                tokenizer.EnterPlainText();
                rawText = RawText.Other;
            }
        }

        if (kind == XssVocabulary.ElementKind.XmlEventsHandler && !tokenizer.IsSelfClosing)
        {
            rawText = RawText.Handler;
        }

        if (kind == XssVocabulary.ElementKind.Foreign && !tokenizer.IsSelfClosing)
        {
            foreignDepth++;
            tokenizer.AllowCData = true;
            if (name.Equals("math", StringComparison.OrdinalIgnoreCase))
            {
                mathDepth++;
            }
        }

        return false;
    }

    // "<?import implementation=...>" loads an IE element behavior; "<?xml-stylesheet href=javascript:...?>"
    // points a stylesheet at script, "<?xml-stylesheet type="text/xsl" href="#"?>" at an XSLT in the value.
    // All three are processing instructions, which HTML reads as bogus comments.
    private static bool TryJudgeProcessingInstruction(ReadOnlySpan<char> content, int offset, out DetectorMatch match)
    {
        match = default;
        if (content.IsEmpty || content[0] != '?')
        {
            return false;
        }

        var body = content[1..];
        if (body.StartsWith("import", StringComparison.OrdinalIgnoreCase) && body.Contains("implementation", StringComparison.OrdinalIgnoreCase))
        {
            match = new DetectorMatch(XssReasons.BehaviorImport, offset - 1, content.Length + 1, 75);
            return true;
        }

        var stylesheet = body.StartsWith("xml-stylesheet", StringComparison.OrdinalIgnoreCase);
        var xslt = false;
        var embedded = false;
        var attributes = HtmlTokenizer.ForAttributes(body);
        while (attributes.TryReadAttribute(out var attribute))
        {
            if (AttributeInspector.TryJudge(attribute, AttributeInspector.Context.Tag, out match))
            {
                match = match with { Start = match.Start + offset + 1 };
                return true;
            }

            xslt |= stylesheet && attribute.Name.Equals("type", StringComparison.OrdinalIgnoreCase)
                && attribute.Value.Contains("xsl", StringComparison.OrdinalIgnoreCase);
            embedded |= stylesheet && attribute.Name.Equals("href", StringComparison.OrdinalIgnoreCase)
                && attribute.Value.Trim().StartsWith('#');
        }

        // <?xml-stylesheet type="text/xsl" href="#"?>: the document is transformed by an XSLT it carries itself,
        // whose output (script included) becomes the page. A feed's or sitemap's own "/sitemap.xsl" passes.
        if (xslt && embedded)
        {
            match = new DetectorMatch(XssReasons.EmbeddedXslt, offset - 1, content.Length + 1, 75);
            return true;
        }

        return false;
    }

    // <!ENTITY x "&#x3C;img src=x onerror=...&#x3E;">: an XML entity whose replacement text is markup, live
    // wherever the entity is referenced.
    private static bool TryJudgeEntityDeclaration(ReadOnlySpan<char> content, int start, int end, int depth, out DetectorMatch match)
    {
        match = default;
        if (depth >= MaxDepth || !content.StartsWith("ENTITY", StringComparison.Ordinal) || !content.Contains('&'))
        {
            return false;
        }

        using var scratch = new TextScratch(stackalloc char[StackChars]);
        var decoded = scratch.DecodeEntities(content);
        if (!decoded.Contains('<') || !TryFind(decoded, depth + 1, out var inner))
        {
            return false;
        }

        match = inner with { Start = start, Length = end - start };
        return true;
    }

    // <!--#exec cmd="..." -->, <!--#echo var="..." -->: a server-side include directive, run by the web server
    // when the value lands in a page it parses for includes (.shtml): commands, files and variables written into
    // the page unescaped. A comment that merely starts with '#' ("<!--#region-->") passes.
    private static bool TryJudgeServerSideInclude(ReadOnlySpan<char> content, int start, int end, out DetectorMatch match)
    {
        match = default;
        if (content.Length < 3 || content[0] != '#')
        {
            return false;
        }

        var directive = content[1..];
        var nameEnd = 0;
        while (nameEnd < directive.Length && char.IsAsciiLetter(directive[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == directive.Length || !HtmlTokenizer.IsWhitespace(directive[nameEnd]) || !XssVocabulary.IsServerSideIncludeDirective(directive[..nameEnd]))
        {
            return false;
        }

        match = new DetectorMatch(XssReasons.ServerSideInclude, start, end - start, 80);
        return true;
    }

    // An XML attribute-list declaration giving an event handler a default value: every element it names gets it.
    private static bool TryJudgeAttributeList(ReadOnlySpan<char> content, int contentStart, int end, out DetectorMatch match)
    {
        match = default;
        if (!AttributeListDeclaration.TryFindDefaultHandler(content, out var offset))
        {
            return false;
        }

        match = new DetectorMatch(XssReasons.EventHandler, contentStart + offset, end - contentStart - offset, 80);
        return true;
    }

    // Markup inside a comment, CDATA or raw text element, inspected as if it were live.
    private static bool TryFindHidden(ReadOnlySpan<char> content, int offset, int depth, out DetectorMatch match)
    {
        match = default;
        if (depth >= MaxDepth || !content.Contains('<') || !TryFind(content, depth + 1, out var inner))
        {
            return false;
        }

        match = inner with { Start = inner.Start + offset };
        return true;
    }

    // Internet Explorer also quoted values with backticks: in <img src=`x`onerror=alert(1)> what follows the
    // closing backtick is another attribute.
    private static bool TryJudgeBacktickQuoted(in HtmlAttributeToken attribute, out DetectorMatch match)
    {
        match = default;
        var close = attribute.Value[1..].IndexOf('`');
        if (close < 0)
        {
            return false;
        }

        var restStart = close + 2;
        var attributes = HtmlTokenizer.ForAttributes(attribute.Value[restStart..]);
        while (attributes.TryReadAttribute(out var next))
        {
            if (AttributeInspector.TryJudge(next, AttributeInspector.Context.Tag, out match))
            {
                match = match with { Start = match.Start + attribute.ValueStart + restStart };
                return true;
            }
        }

        return false;
    }

    private static bool TryFindInAttributeValue(in HtmlAttributeToken attribute, bool srcdoc, int depth, out DetectorMatch match)
    {
        match = default;
        using var scratch = new TextScratch(stackalloc char[StackChars]);
        var value = scratch.DecodeEntities(attribute.Value);
        if (!value.Contains('<') || !TryFind(value, depth + 1, out var inner))
        {
            return false;
        }

        // Without references the decoded value is the raw one and the inner offsets map back directly.
        match = srcdoc ? new DetectorMatch(XssReasons.MarkupInSrcdoc, attribute.Start, attribute.Length, 90)
            : value.Length == attribute.Value.Length ? inner with { Start = inner.Start + attribute.ValueStart }
            : inner with { Start = attribute.Start, Length = attribute.Length };
        return true;
    }

    private static bool IsPunctuationOnly(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int ElementScore(XssVocabulary.ElementKind kind) => kind switch
    {
        XssVocabulary.ElementKind.Script => 95,
        XssVocabulary.ElementKind.Ordinary or XssVocabulary.ElementKind.Link => 85,
        XssVocabulary.ElementKind.Embedding => 85,
        XssVocabulary.ElementKind.Animation => 85,
        _ => 75,
    };
}
