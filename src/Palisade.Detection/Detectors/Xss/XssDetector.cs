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
/// <item>Pre-filter: a value without any character a rule needs (<c>&lt; = : ( ` &amp; [ +</c>), and without the word
/// <c>document</c> (<c>document.cookie</c> needs none of them), is clean. Most values stop here.</item>
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
    private const int StackChars = 512;

    private static readonly SearchValues<char> BreakoutMarks = SearchValues.Create("\"'`(");

    private const string TriggerCharacters = "<=:(`&[+";
    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggerCharacters);
    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggerCharacters);

    public string Id => "xss.html";

    public AttackType AttackType => AttackType.Xss;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        var characters = origin.Characters;
        if (!characters.ContainsAny(value, TriggerMask, Triggers) && !(characters.Contains(value, 'd') && value.Contains("document", StringComparison.Ordinal)))
        {
            return false;
        }

        if (TryFindTags(value, out match))
        {
            return true;
        }

        if (value.IndexOfAny('+', '\0') >= 0 && MayHideTags(value) && TryFindInLenientReading(value, out match))
        {
            return true;
        }

        if (Utf7Decoder.MayHoldMarkup(value) && TryFindInUtf7(value, out match))
        {
            return true;
        }

        return ValueInspector.TryFind(value, out match);
    }

    private static bool TryFindTags(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        return (value.Contains('<') && MarkupInspector.TryFind(value, out match))
            || (value.Contains('=') && BreakoutInspector.TryFind(value, out match));
    }

    // The lenient reading can only reveal a tag, or a break-out (which needs a quote, or a call after a space).
    private static bool MayHideTags(ReadOnlySpan<char> value) =>
        value.Contains('<') || (value.Contains('=') && value.IndexOfAny(BreakoutMarks) >= 0);

    // What a less strict reader makes of the value: a '+' is a space to a form decoder the application may
    // run once more ("<script+src=...>", a Referer's "?q=<x+onfocus=...>"), and old Internet Explorer skipped
    // NUL characters ("<scr\0ipt>").
    private static bool TryFindInLenientReading(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        using var scratch = new TextScratch(stackalloc char[StackChars]);
        var buffer = scratch.Get(value.Length);
        var length = 0;
        foreach (var c in value)
        {
            if (c != '\0')
            {
                buffer[length++] = c == '+' ? ' ' : c;
            }
        }

        if (!TryFindTags(buffer[..length], out match))
        {
            return false;
        }

        if (length != value.Length)
        {
            match = match with { Start = 0, Length = value.Length };
        }

        return true;
    }

    // Any tag spelled in UTF-7 ("+ADw-p+AD4-"): no client spells markup so unless it means the page to be read as
    // UTF-7, where the value becomes markup of the sender's choosing, whatever the tag. A "+ADw" inside base64 data
    // decodes to '<' and then code units that are not ASCII letters, which open no tag.
    private static bool HasTag(ReadOnlySpan<char> decoded)
    {
        var tokenizer = new HtmlTokenizer(decoded);
        while (tokenizer.Read())
        {
            if (tokenizer.Kind is HtmlTokenKind.StartTag or HtmlTokenKind.EndTag)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryFindInUtf7(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        using var scratch = new TextScratch(stackalloc char[StackChars]);
        var buffer = scratch.Get(value.Length);
        var decoded = buffer[..Utf7Decoder.Decode(value, buffer)];
        if (!MarkupInspector.TryFind(decoded, out _)
            && !HasTag(buffer[..Utf7Decoder.Decode(value, buffer, maskLiteralMarkup: true)]))
        {
            match = default;
            return false;
        }

        match = new DetectorMatch(XssReasons.Utf7Markup, 0, value.Length, 80);
        return true;
    }
}
