using Palisade.Detection.Detectors.Xss;

namespace Palisade.Detection.Tests.Detectors.Xss;

public class JsTokenizerTests
{
    [Fact]
    public void Next_CallInStatement_IsIdentifierAndPunctuators()
    {
        Assert.Equal(["P ;", "I alert", "P (", "N 1", "P )"], Tokens(";alert(1)//comment"));
    }

    [Fact]
    public void Next_Strings_HideTheirContent()
    {
        Assert.Equal(["S 'a;alert(1)'", "P +", "S \"b\""], Tokens("'a;alert(1)' + \"b\""));
    }

    [Fact]
    public void Next_UnterminatedString_EndsAtLineEnd()
    {
        Assert.Equal(["S 'abc", "I x"], Tokens("'abc\nx"));
    }

    [Fact]
    public void Next_RegExpAndDivision_AreToldApartByThePreviousToken()
    {
        Assert.Equal(["I top", "P [", "R /al/", "P .", "I source", "P ]"], Tokens("top[/al/.source]"));
        Assert.Equal(["I a", "P /", "I b", "P /", "I c"], Tokens("a / b / c"));
    }

    [Fact]
    public void Next_Template_SplitsAtSubstitutions()
    {
        Assert.Equal(["I call", "T `${", "I alert", "T }1337`"], Tokens("call`${alert}1337`"));
    }

    [Fact]
    public void Next_Operators_TakeTheLongestRun()
    {
        Assert.Equal(["I a", "P ===", "I b", "P =>", "I c", "P =", "P -", "N 1"], Tokens("a===b=>c=-1"));
    }

    [Fact]
    public void Next_NumberFollowedByMember_IsNumberThenDot()
    {
        Assert.Equal(["N 8680439.", "P .", "I toString"], Tokens("8680439..toString"));
    }

    [Fact]
    public void Next_Newline_IsReportedOnTheNextToken()
    {
        var tokenizer = new JsTokenizer("a /* x\n */ b");
        Assert.True(tokenizer.Next(out var a));
        Assert.False(a.NewlineBefore);
        Assert.True(tokenizer.Next(out var b));
        Assert.True(b.NewlineBefore);
    }

    [Theory]
    [InlineData("al\\u0065rt", "alert", true)]
    [InlineData("\\u{61}lert", "alert", true)]
    [InlineData("alert", "alert", true)]
    [InlineData("alerts", "alert", false)]
    [InlineData("al\\u00", "alert", false)]
    public void IdentifierEquals_DecodesEscapes(string raw, string name, bool expected)
    {
        Assert.Equal(expected, JsTokenizer.IdentifierEquals(raw, name));
    }

    [Fact]
    public void Next_PathologicalInputs_Return()
    {
        foreach (var pattern in new[] { "/[", "`${", "'\\", "/*", "\\u", "a." })
        {
            var text = string.Concat(Enumerable.Repeat(pattern, 100_000));
            var tokenizer = new JsTokenizer(text);
            var count = 0;
            while (tokenizer.Next(out _))
            {
                count++;
            }

            Assert.True(count > 0, pattern);
        }
    }

    private static string[] Tokens(string code)
    {
        var tokens = new List<string>();
        var tokenizer = new JsTokenizer(code);
        while (tokenizer.Next(out var token))
        {
            var kind = token.Kind switch
            {
                JsTokenKind.Identifier => "I",
                JsTokenKind.NumericLiteral => "N",
                JsTokenKind.StringLiteral => "S",
                JsTokenKind.Template => "T",
                JsTokenKind.RegExpLiteral => "R",
                _ => "P",
            };
            tokens.Add($"{kind} {code.AsSpan(token.Start, token.Length)}");
        }

        return [.. tokens];
    }
}
