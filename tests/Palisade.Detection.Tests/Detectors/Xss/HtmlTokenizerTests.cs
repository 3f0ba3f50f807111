using Palisade.Detection.Detectors.Xss;

namespace Palisade.Detection.Tests.Detectors.Xss;

public class HtmlTokenizerTests
{
    [Fact]
    public void Read_SlashSeparatedAttribute_SeesAttribute()
    {
        Assert.Equal(["start svg", "attr onload=x", "end-of-tag"], Tokens("<svg/onload=x>"));
    }

    [Fact]
    public void Read_UnquotedValues_EndAtWhitespaceOrGreaterThan()
    {
        Assert.Equal(
            ["start img", "attr src=x", "attr onerror=alert(1)", "end-of-tag", "text after"],
            Tokens("<img src=x onerror=alert(1)>after"));
    }

    [Fact]
    public void Read_QuotedValue_KeepsGreaterThanAndQuotes()
    {
        Assert.Equal(
            ["start x", "attr 1=>", "attr onxxx=1", "end-of-tag"],
            Tokens("<x 1=\">\" onxxx=1>"));
        Assert.Equal(["start a", "attr title=it's \"fine\"", "end-of-tag"], Tokens("<a title='it&apos;s \"fine\"'>").Select(Decode).ToArray());
    }

    [Fact]
    public void Read_AttributeAfterQuotedValueWithoutSpace_IsSeparateAttribute()
    {
        Assert.Equal(["start x", "attr 1=1", "attr onxxx=1", "end-of-tag"], Tokens("<x 1='1'onxxx=1>"));
    }

    [Fact]
    public void Read_MixedCaseTag_KeepsNameAsWritten()
    {
        Assert.Equal(["start ScRiPt", "end-of-tag", "text alert(1)", "end ScRiPt", "end-of-tag"], TokensWithRawText("<ScRiPt>alert(1)</ScRiPt>"));
    }

    [Fact]
    public void Read_EntitiesInValues_AreLeftForTheCaller()
    {
        Assert.Equal(["start a", "attr href=jav&#x61;script:x", "end-of-tag"], Tokens("<a href=\"jav&#x61;script:x\">"));
    }

    [Fact]
    public void Read_WhitespaceAroundEquals_IsAllowed()
    {
        Assert.Equal(["start a", "attr href=x", "end-of-tag"], Tokens("<a href  =   x >"));
    }

    [Fact]
    public void Read_ValuelessAttributes_HaveNoValue()
    {
        Assert.Equal(["start input", "attr autofocus", "attr disabled", "end-of-tag"], Tokens("<input autofocus disabled>"));
    }

    [Fact]
    public void Read_LessThanNotFollowedByLetter_IsText()
    {
        Assert.Equal(["text a < b and 3 <4"], Tokens("a < b and 3 <4"));
        Assert.Equal(["text <<", "start x", "end-of-tag"], Tokens("<<<x>"));
    }

    [Fact]
    public void Read_Comment_HidesMarkup()
    {
        Assert.Equal(["comment <script>"], Tokens("<!--<script>-->"));
        Assert.Equal(["comment a", "text b"], Tokens("<!--a--!>b"));
        Assert.Equal(["comment ", "text x"], Tokens("<!-->x"));
    }

    [Fact]
    public void Read_UnterminatedComment_RunsToTheEnd()
    {
        var tokenizer = new HtmlTokenizer("<!-- never closed <b>");
        Assert.True(tokenizer.Read());
        Assert.Equal(HtmlTokenKind.Comment, tokenizer.Kind);
        Assert.True(tokenizer.IsUnterminated);
        Assert.Equal(" never closed <b>", tokenizer.Content.ToString());
    }

    [Fact]
    public void Read_BogusComments_EndAtFirstGreaterThan()
    {
        Assert.Equal(["bogus ?xml version=\"1.0\"?", "start r", "end-of-tag"], Tokens("<?xml version=\"1.0\"?><r>"));
        Assert.Equal(["bogus  foo=\"", "start script", "end-of-tag"], Tokens("<! foo=\"><script>"));
        Assert.Equal(["bogus  foo=\"", "start script", "end-of-tag"], Tokens("</ foo=\"><script>"));
    }

    [Fact]
    public void Read_Doctype_IsOneToken()
    {
        Assert.Equal(["doctype DOCTYPE html", "start p", "end-of-tag"], Tokens("<!DOCTYPE html><p>"));
    }

    [Fact]
    public void Read_CData_OnlyInsideForeignContent()
    {
        Assert.Equal(["bogus [CDATA[<x", "text ]]>"], Tokens("<![CDATA[<x>]]>"));

        var tokenizer = new HtmlTokenizer("<![CDATA[<x>]]>") { AllowCData = true };
        Assert.True(tokenizer.Read());
        Assert.Equal(HtmlTokenKind.CData, tokenizer.Kind);
        Assert.Equal("<x>", tokenizer.Content.ToString());
    }

    [Fact]
    public void Read_UnterminatedTag_IsReportedAsUnterminated()
    {
        var tokenizer = new HtmlTokenizer("<svg onload=alert(1)");
        Assert.True(tokenizer.Read());
        Assert.Equal(HtmlTokenKind.StartTag, tokenizer.Kind);
        Assert.True(tokenizer.TryReadAttribute(out var attribute));
        Assert.Equal("onload", attribute.Name.ToString());
        Assert.Equal("alert(1)", attribute.Value.ToString());
        Assert.False(tokenizer.TryReadAttribute(out _));
        Assert.True(tokenizer.IsUnterminated);
    }

    [Fact]
    public void Read_ValueCutOffAfterEquals_IsFlaggedAsCutOff()
    {
        var tokenizer = new HtmlTokenizer("<x onend=");
        Assert.True(tokenizer.Read());
        Assert.True(tokenizer.TryReadAttribute(out var attribute));
        Assert.True(attribute.HasValue);
        Assert.True(attribute.IsCutOff);
    }

    [Fact]
    public void Read_ControlCharacters_AreTolerated()
    {
        // A NUL after '<' is text for a browser; inside a name it is kept as a character.
        Assert.Equal(["text <\0img"], Tokens("<\0img"));
        Assert.Equal(["start scr\0ipt", "end-of-tag"], Tokens("<scr\0ipt>"));
        Assert.Equal(["start svg", "attr onload=x", "end-of-tag"], Tokens("<svg\fonload=x>"));
    }

    [Fact]
    public void Read_SelfClosing_IsKnownAfterAttributes()
    {
        var tokenizer = new HtmlTokenizer("<br a=1/>");
        Assert.True(tokenizer.Read());
        Assert.True(tokenizer.TryReadAttribute(out var attribute));
        Assert.Equal("1/", attribute.Value.ToString());
        Assert.False(tokenizer.TryReadAttribute(out _));
        Assert.False(tokenizer.IsSelfClosing);

        tokenizer = new HtmlTokenizer("<br a=\"1\"/>");
        Assert.True(tokenizer.Read());
        while (tokenizer.TryReadAttribute(out _))
        {
        }

        Assert.True(tokenizer.IsSelfClosing);
    }

    [Fact]
    public void EnterRawText_StyleContent_EndsAtItsEndTagOnly()
    {
        Assert.Equal(
            ["start style", "end-of-tag", "text <img src=\"", "end style", "end-of-tag", "start img", "attr src=x", "end-of-tag"],
            TokensWithRawText("<style><img src=\"</style><img src=x>"));
    }

    [Fact]
    public void EnterRawText_WithoutEndTag_RunsToTheEnd()
    {
        Assert.Equal(["start textarea", "end-of-tag", "text <b>x</bx>"], TokensWithRawText("<textarea><b>x</bx>"));
    }

    [Fact]
    public void ForAttributes_ContinuesATag()
    {
        var tokenizer = HtmlTokenizer.ForAttributes(" onmouseover=\"alert(1)\" x=\"");
        Assert.True(tokenizer.TryReadAttribute(out var first));
        Assert.Equal("onmouseover", first.Name.ToString());
        Assert.Equal("alert(1)", first.Value.ToString());
        Assert.Equal(1, first.Start);
        Assert.True(tokenizer.TryReadAttribute(out var second));
        Assert.Equal("x", second.Name.ToString());
        Assert.False(tokenizer.TryReadAttribute(out _));
    }

    [Fact]
    public void Read_Offsets_PointIntoTheInput()
    {
        const string html = "ab<img src=x onerror=y>";
        var tokenizer = new HtmlTokenizer(html);
        Assert.True(tokenizer.Read());
        Assert.True(tokenizer.Read());
        Assert.Equal(2, tokenizer.TokenStart);
        Assert.True(tokenizer.TryReadAttribute(out _));
        Assert.True(tokenizer.TryReadAttribute(out var handler));
        Assert.Equal("onerror=y", html.Substring(handler.Start, handler.Length));
        Assert.Equal("y", html.Substring(handler.ValueStart, handler.Value.Length));
        Assert.False(tokenizer.TryReadAttribute(out _));
        Assert.Equal(html.Length, tokenizer.TokenEnd);
    }

    [Fact]
    public void Read_LongRunsOfOpenBrackets_Return()
    {
        var count = 0;
        var tokenizer = new HtmlTokenizer(new string('<', 1 << 20));
        while (tokenizer.Read())
        {
            count++;
        }

        Assert.Equal(1, count);
    }

    private static string Decode(string token)
    {
        Span<char> buffer = stackalloc char[token.Length];
        return buffer[..HtmlEntityDecoder.Decode(token, buffer)].ToString();
    }

    private static string[] Tokens(string html) => Collect(html, rawText: false);

    private static string[] TokensWithRawText(string html) => Collect(html, rawText: true);

    private static string[] Collect(string html, bool rawText)
    {
        var tokens = new List<string>();
        var tokenizer = new HtmlTokenizer(html);
        while (tokenizer.Read())
        {
            switch (tokenizer.Kind)
            {
                case HtmlTokenKind.StartTag or HtmlTokenKind.EndTag:
                    tokens.Add((tokenizer.Kind == HtmlTokenKind.StartTag ? "start " : "end ") + tokenizer.Content.ToString());
                    var isStart = tokenizer.Kind == HtmlTokenKind.StartTag;
                    var name = tokenizer.Content.ToString();
                    while (tokenizer.TryReadAttribute(out var attribute))
                    {
                        tokens.Add("attr " + attribute.Name.ToString() + (attribute.HasValue ? "=" + attribute.Value.ToString() : ""));
                    }

                    tokens.Add("end-of-tag");
                    if (rawText && isStart && name is "style" or "ScRiPt" or "textarea")
                    {
                        tokenizer.EnterRawText();
                    }

                    break;
                case HtmlTokenKind.Text:
                    tokens.Add("text " + tokenizer.Content.ToString());
                    break;
                case HtmlTokenKind.Comment:
                    tokens.Add("comment " + tokenizer.Content.ToString());
                    break;
                case HtmlTokenKind.BogusComment:
                    tokens.Add("bogus " + tokenizer.Content.ToString());
                    break;
                case HtmlTokenKind.Doctype:
                    tokens.Add("doctype " + tokenizer.Content.ToString());
                    break;
                case HtmlTokenKind.CData:
                    tokens.Add("cdata " + tokenizer.Content.ToString());
                    break;
            }
        }

        return [.. tokens];
    }
}
