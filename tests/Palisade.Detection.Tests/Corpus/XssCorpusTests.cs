using Palisade.Detection.Detectors.Xss;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the XSS detector alone over the labelled corpus (<c>../shared/corpus</c> beside the repository, or
/// <c>PALISADE_CORPUS</c>): the rates must hold, and pinned records must not flip.
/// </summary>
public class XssCorpusTests() : DetectorCorpusTests<XssDetector>(MinimumTruePositiveRate, MustCatch, MustPass, MaximumFalsePositiveRate)
{
    private const double MinimumTruePositiveRate = 0.90;
    private const double MaximumFalsePositiveRate = 0.005;

    // One per rule and per kind of location: script elements, handlers, URLs, CSS, break-outs, script values,
    // and the decodings (entities, '+' as space, NUL, UTF-7, base64) that reveal them.
    private static readonly string[] MustCatch =
    [
        "patt-xss-1",              // top[8680439..toString(30)](1): computed call on the global object
        "patt-xss-2",              // [1].find(alert): sink passed as a value
        "patt-xss-5",              // a=alert,a(1)
        "patt-xss-6",              // top["al"+"ert"](1), in a path segment
        "patt-xss-15",             // eval(URL.slice(-8))
        "patt-xss-50",             // <animate attributeName=xlink:href from=javascript:...>
        "patt-xss-59",             // <link rel=import href="data:text/html&comma;...">
        "patt-xss-104",            // <base href=//0>
        "patt-xss-126",            // Referer ?q=<x+contenteditable+onfocus=...>: '+' read as space
        "patt-xss-144",            // data:text/html;base64,... as the whole value
        "patt-xss-200",            // <img src=`xx:xx`onerror=alert(1)> in User-Agent: IE backtick quoting
        "patt-xss-333",            // <STYLE>.XSS{background-image:url("javascript:...")}</STYLE> in multipart
        "patt-xss-339",            // <META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:...">
        "patt-xss-400",            // +ADw-script+AD4-: UTF-7
        "patt-xss-404",            // <HTML xmlns:xss>: namespace prefix without a URI (IE element behavior)
        "patt-xss-405",            // +ADw-p+AD4-...: any tag spelled in UTF-7
        "patt-xss-407",            // DATAFORMATAS="HTML": IE data binding
        "patt-xss-424",            // ö" onmouseover=prompt(941634): attribute break-out
        "patt-xss-447",            // "><script+src="...callback=alert(1)//">: '+' read as space
        "libinjection-xss-86",     // <img src=xonerror="alert(1)">: string break-out
        "libinjection-xss-213",    // xlink:href="data:text/xml,<script ...>"
        "libinjection-xss-15",     // <xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform">: embedded XSLT
        "libinjection-xss-232",    // STYLE="background-image:\0075\0072\006C\0028'\006a...": CSS escapes
        "libinjection-xss-387",    // <IMG ONERROR="VBS:MSGBOX 1" SRC=A>
        "libinjection-xss-436",    // <STYLE>@im\port'\ja\vasc\ript:alert(1)';</STYLE>
        "libinjection-xss-458",    // href="javas\u0004cript:javascript:alert(1)": control character in the scheme
        "libinjection-xss-535",    // <IMG SRC='vbscript:msgbox(1)'>
        "libinjection-xss-578",    // "'`><\0img src=xxx:x onerror=...>: NUL skipped as old IE did
        "crs-xss-9",               // <script >alert(1);</script> in a cookie
        "crs-xss-126",             // &lt;embed src=&quot;deuce.swf&quot;&gt; inside an XML attribute
        "crs-xss-160",             // %252bADw-script%252bAD4-: double-encoded UTF-7
        "crs-xss-162",             // JSFuck
        "crs-xss-166",             // document /*foo*/ . cookie
        "crs-xss-171",             // self["$"]["globalEval"]("alert(1)")
        "crs-xss-176",             // {{constructor.constructor('alert(1)')()}}
        "crs-xss-193",             // [].map.call`${eval}...`: tagged-template call
    ];

    // Benign records that sit close to a rule: markup, quotes, script words, javascript:void(0), random bytes.
    private static readonly string[] MustPass =
    [
        "openappsec-real_traffic-99",        // beacon body with ep.link_url=javascript:void(0)
        "openappsec-real_traffic-1372",      // oid=javascript:void(0);
        "openappsec-real_traffic-1927",      // analytics with an onclick listener in a value
        "openappsec-real_traffic-2197",      // fingerprint "dom":"<STYLE DIV <DIV <IMG >DIV >>SCRIPT ..."
        "openappsec-real_traffic-458",       // random printable bytes with '<' and '='
        "openappsec-real_traffic-50",        // pageUrl https://www.apple.com/store?<query>
        "openappsec-real_traffic-774",       // packed tracking data full of '<'
        "openappsec-real_traffic-3129",      // a value with <img src=...>
        "polly-text_fp-237",                 // rich text with <a href>
        "polly-text_fp-238",                 // rich text with <img src>
        "polly-text_fp-241",
        "polly-text_fp-242",                 // style= in rich text
        "polly-text_fp-244",
        "polly-text_fp-295",                 // C#: OnRetry = static args => ...
        "polly-text_fp-361",                 // VB: ExecuteAsync(Function(token) ...)
        "jinja-text_fp-233",
        "flask-text_fp-299",                 // Jinja template with <form action="{{ url_for(...) }}">
        "flask-text_fp-301",                 // <link rel="stylesheet" href="{{ url_for(...) }}">
        "flask-text_fp-310",
        "flask-text_fp-312",                 // <style type="text/css"> with plain CSS
        "flask-text_fp-319",                 // JavaScript: fetch(user_url).then(...)
        "flask-text_fp-320",
        "libinjection-libinjection_fp-253",  // LAPTOP CASE 14&#39;
        "libinjection-libinjection_fp-764",  // <a href=...> in a search
        "libinjection-libinjection_fp-782",  // 80&#039;s
        "gen-structured-6",                  // O'Brien
        "gen-structured-12",
        "gen-structured-241",                // next=/... local redirect
        "gen-structured-839",                // data:image/png;base64,...
        "gen-structured-840",
    ];
}
