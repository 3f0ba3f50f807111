using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Finds values that escape the attribute they are written into and add their own attributes, without any
/// <c>&lt;</c>: <c>" onmouseover="alert(1)</c>, <c>' autofocus onfocus='x</c>, <c>" style="x:expression(...)</c>, or, for an
/// unquoted attribute, <c>x onerror=alert(1)</c>.
/// </summary>
/// <remarks>
/// What follows the break (the first quote of each kind, or a space for an unquoted attribute) is read with
/// the tokenizer's attribute states, exactly as the browser would continue the tag, and each attribute is
/// judged in a break-out context (<see cref="AttributeInspector.Context.Breakout"/> after a quote,
/// <see cref="AttributeInspector.Context.UnquotedBreakout"/> after a space): a handler must be one browsers fire
/// or call a script sink, so the words of a sentence ("Conor O'Brien online=yes") and keyword arguments
/// (<c>onerror=None</c>) pass. One pass per kind of break keeps the cost linear.
/// </remarks>
internal static class BreakoutInspector
{
    public static bool TryFind(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        // Unquoted attribute: the first word ends the value, whitespace starts the next attribute.
        if (TryFrom(value, 0, AttributeInspector.Context.UnquotedBreakout, out match))
        {
            return true;
        }

        foreach (var quote in "\"'`")
        {
            var at = value.IndexOf(quote);
            if (at >= 0 && TryFrom(value, at + 1, AttributeInspector.Context.Breakout, out match))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryFrom(ReadOnlySpan<char> value, int start, AttributeInspector.Context context, out DetectorMatch match)
    {
        var rest = value[start..];
        match = default;
        if (!rest.Contains('='))
        {
            return false;
        }

        // "  onload=": whitespace that leads the value ends the unquoted attribute it is written into as surely as
        // a quote ends a quoted one, so the attribute right after it is judged as after a quote.
        var first = context == AttributeInspector.Context.UnquotedBreakout && !rest.IsEmpty && HtmlTokenizer.IsWhitespace(rest[0]);
        var tokenizer = HtmlTokenizer.ForAttributes(rest);
        while (tokenizer.TryReadAttribute(out var attribute))
        {
            if (AttributeInspector.TryJudge(attribute, first ? AttributeInspector.Context.Breakout : context, out match))
            {
                match = match with { Start = match.Start + start };
                return true;
            }

            first = false;
        }

        return false;
    }
}
