using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Detects cross-site scripting: values that, reflected into a page, would make the browser run the sender's
/// script. It reads a value as a browser would read it in each place it may land, and judges what it finds as a
/// strict HTML sanitizer would, rather than spotting keywords.
/// </summary>
/// <remarks>
/// <para>In order, cheapest and strongest first:</para>
/// <list type="number">
/// <item>Pre-filter: a value without any character a rule needs (<c>&lt; = : ( ` &amp; [</c>) is clean. Most values stop here.</item>
/// <item>Markup (<see cref="MarkupInspector"/>): the value is tokenized as HTML (<see cref="HtmlTokenizer"/>) and its
/// tags judged: script and embedding elements, event handlers, script URLs, styles that run script.</item>
/// <item>Attribute break-out (<see cref="BreakoutInspector"/>): the value closes the attribute it is written into
/// and adds a handler, a style or a script URL (<c>" onmouseover="alert(1)</c>).</item>
/// <item>The value as a URL, a Markdown link, CSS, or script (<see cref="ValueInspector"/>):
/// <c>javascript:alert(1)</c>, <c>x:expression(alert(1))</c>, <c>';alert(1)//</c>.</item>
/// </list>
/// <para>Each finding carries a fixed reason (<see cref="XssReasons"/>) and points at its evidence. Every step is
/// linear in the value's length, allocates nothing on the common path, and uses no regular expressions.</para>
/// </remarks>
public sealed class XssDetector : IDetector
{
    private static readonly SearchValues<char> Triggers = SearchValues.Create("<=:(`&[");

    public string Id => "xss.html";

    public AttackType AttackType => AttackType.Xss;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (value.IndexOfAny(Triggers) < 0)
        {
            return false;
        }

        if (value.Contains('<') && MarkupInspector.TryFind(value, out match))
        {
            return true;
        }

        if (value.Contains('=') && BreakoutInspector.TryFind(value, out match))
        {
            return true;
        }

        return ValueInspector.TryFind(value, out match);
    }
}
