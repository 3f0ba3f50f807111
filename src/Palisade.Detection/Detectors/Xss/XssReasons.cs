namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// The fixed explanations an XSS finding carries. They name the construct, never the request's data, so they
/// are safe to log, count and show to anyone.
/// </summary>
public static class XssReasons
{
    public const string ScriptElement = "script element";
    public const string EmbeddingElement = "embedding element (iframe, object, embed, applet)";
    public const string ObfuscatedScriptElement = "script element with an obfuscated name";
    public const string MathMlLink = "link through xlink:href in MathML";
    public const string ServerSideInclude = "server-side include directive";
    public const string BaseElement = "base element";
    public const string MetaElement = "meta element with refresh, cookie or charset switch";
    public const string LinkImport = "link element importing a document";
    public const string LinkStylesheet = "link element loading a style sheet from elsewhere";
    public const string EventHandler = "event handler attribute";
    public const string ScriptUrlInAttribute = "javascript: URL in attribute";
    public const string DataUrlInAttribute = "data: URL with scriptable content in attribute";
    public const string DangerousStyleAttribute = "script in style attribute";
    public const string DangerousStyleElement = "script or import in style element";
    public const string CssSmuggling = "CSS that parsers split differently (declaration smuggling)";
    public const string AnimationOfHandler = "SVG animation of a link or event handler";
    public const string BehaviorImport = "IE behavior import";
    public const string EmbeddedXslt = "XSLT style sheet embedded in the document";
    public const string BehaviorNamespace = "namespace prefix declared without a URI (IE element behavior)";
    public const string MarkupInSrcdoc = "markup with script in iframe srcdoc";
    public const string BreakoutEventHandler = "attribute break-out with event handler";
    public const string BreakoutStyle = "attribute break-out with script in style";
    public const string BreakoutScriptUrl = "attribute break-out with javascript: URL";
    public const string ObfuscatedScriptScheme = "script URL scheme spelled with character references or whitespace";
    public const string ScriptUrlValue = "javascript: URL as value";
    public const string DataUrlValue = "data: URL with scriptable content as value";
    public const string MarkdownScriptUrl = "javascript: URL in Markdown link";
    public const string CssScript = "script in CSS";
    public const string ScriptSinkCall = "call of a script sink (alert, eval, ...)";
    public const string ScriptStringBreakout = "script string break-out with sink call";
    public const string SensitiveDomAccess = "access to document cookie or domain";
    public const string DomWrite = "page content rewritten through the document";
    public const string ComputedGlobalCall = "computed call on the global object";
    public const string EscapedGlobalMember = "global object member named with escapes";
    public const string MemberAssignmentBreakout = "string break-out assigning to a member";
    public const string FunctionConstructor = "Function constructor access";
    public const string SinkAsValue = "script sink passed as a value";
    public const string TemplateCall = "function call through a tagged template";
    public const string ObfuscatedScript = "JSFuck-style obfuscated script";
    public const string DisguisedLinkHost = "URL host disguised by percent escapes or IPv4 notation";
    public const string DataBinding = "data binding rendered as HTML (IE)";
    public const string Utf7Markup = "markup encoded as UTF-7";
}
