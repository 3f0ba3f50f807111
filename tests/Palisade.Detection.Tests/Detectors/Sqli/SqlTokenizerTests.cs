using Palisade.Detection.Detectors.Sqli;

namespace Palisade.Detection.Tests.Detectors.Sqli;

public class SqlTokenizerTests
{
    [Fact]
    public void Next_SimpleQuery_YieldsKeywordsNamesNumbersAndOperators()
    {
        Assert.Equal(
            ["Keyword:SELECT", "Identifier:a", "Comma:,", "Number:1", "Keyword:FROM", "Identifier:t", "Keyword:WHERE",
             "Identifier:x", "Operator:>=", "Number:2"],
            Describe("SELECT a, 1 FROM t WHERE x>=2"));
    }

    [Fact]
    public void Next_Keyword_IsRecognisedWhateverItsCase()
    {
        var tokens = Read("UnIoN sElEcT");
        Assert.Equal(SqlKeyword.Union, tokens[0].Keyword);
        Assert.Equal(SqlKeyword.Select, tokens[1].Keyword);
    }

    [Theory]
    [InlineData("1/*!50000UNION*//*!SELECT*/2", "Number:1|Keyword:UNION|Keyword:SELECT|Number:2")]
    [InlineData("/*!0UNION*/", "Keyword:UNION")]
    [InlineData("/*!12345UNION/*!31337SELECT/*!table_name*/", "Keyword:UNION|Keyword:SELECT|Identifier:table_name")]
    [InlineData("1 mod /*!1*/ union", "Number:1|Keyword:mod|Number:1|Keyword:union")]
    [InlineData("SELECT /*!32302 1/0, */ 1", "Keyword:SELECT|Number:1|Operator:/|Number:0|Comma:,|Number:1")]
    public void Next_VersionedComment_ReadsItsContentAsSql(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), Describe(text));
    }

    [Theory]
    [InlineData("a/* x */b", "Identifier:a|BlockComment:/* x */|Identifier:b")]
    [InlineData("a/* never closed", "Identifier:a|BlockComment:/* never closed")]
    [InlineData("a -- rest\nb", "Identifier:a|LineComment:-- rest|Identifier:b")]
    [InlineData("a # rest\nb", "Identifier:a|LineComment:# rest|Identifier:b")]
    [InlineData("a--", "Identifier:a|LineComment:--")]
    [InlineData("/**/", "BlockComment:/**/")]
    public void Next_Comments_AreTokensOfTheirOwn(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), Describe(text));
    }

    [Theory]
    [InlineData("'it''s'", "it''s")]
    [InlineData("'a\\'b'", "a\\'b")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"\"hi\"\"")]
    [InlineData("N'x'", "x")]
    [InlineData("X'41'", "41")]
    [InlineData("e'a\\nb'", "a\\nb")]
    [InlineData("$$body$$", "body")]
    public void Next_String_HandlesEscapesAndPrefixes(string text, string content)
    {
        var token = Assert.Single(Read(text));
        Assert.Equal(SqlTokenKind.String, token.Kind);
        Assert.False(token.Unterminated);
        Assert.Equal(text.Length, token.Length);
        Assert.Equal(content, token.StringContent(text).ToString());
    }

    [Theory]
    [InlineData("'abc", '\'')]
    [InlineData("\"abc", '"')]
    [InlineData("'it''s", '\'')]
    [InlineData("'a\\'", '\'')]
    [InlineData("$$abc", '$')]
    public void Next_UnterminatedString_RunsToTheEndAndSaysSo(string text, char quote)
    {
        var token = Assert.Single(Read(text));
        Assert.Equal(SqlTokenKind.String, token.Kind);
        Assert.True(token.Unterminated);
        Assert.Equal(quote, token.Quote);
        Assert.Equal(text.Length, token.End);
    }

    [Theory]
    [InlineData("1e1")]
    [InlineData("1e-5")]
    [InlineData("1.5E+3")]
    [InlineData("0x41")]
    [InlineData("0X4a")]
    [InlineData("0b101")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("2.2250738585072011e-308")]
    [InlineData("4294967296")]
    public void Next_Number_IsOneToken(string text)
    {
        var token = Assert.Single(Read(text));
        Assert.Equal(SqlTokenKind.Number, token.Kind);
        Assert.Equal(text.Length, token.Length);
    }

    [Theory]
    [InlineData("1a", "Identifier:1a")]
    [InlineData("70s", "Identifier:70s")]
    [InlineData("0xZZ", "Identifier:0xZZ")]
    [InlineData("1.UNION", "Number:1.|Keyword:UNION")]
    [InlineData("1e1AND", "Number:1e1|Keyword:AND")]
    [InlineData("3.2UNION", "Number:3.2|Keyword:UNION")]
    [InlineData("1.ex", "Number:1.|Identifier:ex")]
    public void Next_DigitsFollowedByLetters_ReadAsMySqlDoes(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), Describe(text));
    }

    [Theory]
    [InlineData("1.e(1)", "LeftParen:(|Number:1|RightParen:)", 1)]
    [InlineData("ascii 1.e(x 1.e,1 1.e)", "Identifier:ascii|LeftParen:(|Identifier:x|Comma:,|Number:1|RightParen:)", 3)]
    [InlineData("1.e.tables", "Dot:.|Identifier:tables", 1)]
    [InlineData("a 12.E )", "Identifier:a|RightParen:)", 1)]
    [InlineData("1.e", "Number:1.|Identifier:e", 0)]
    [InlineData("1.e5(", "Number:1.e5|LeftParen:(", 0)]
    [InlineData("1.ea(", "Number:1.|Identifier:ea|LeftParen:(", 0)]
    public void Next_NumberWithEmptyExponent_IsDroppedAsMySqlDoes(string text, string expected, int dropped)
    {
        var tokenizer = new SqlTokenizer(text);
        var described = new List<string>();
        while (tokenizer.Next(out var token))
        {
            described.Add($"{token.Kind}:{text.Substring(token.Start, token.Length)}");
        }

        Assert.Equal(expected.Split('|'), described);
        Assert.Equal(dropped, tokenizer.EmptyExponents);
    }

    [Theory]
    [InlineData("@x", nameof(SqlTokenKind.Variable))]
    [InlineData("@'quoted name'", nameof(SqlTokenKind.Variable))]
    [InlineData("@`q`", nameof(SqlTokenKind.Variable))]
    [InlineData("@", nameof(SqlTokenKind.Variable))]
    [InlineData("@@version", nameof(SqlTokenKind.SystemVariable))]
    [InlineData("@@GLOBAL", nameof(SqlTokenKind.SystemVariable))]
    [InlineData("@.", nameof(SqlTokenKind.Variable))]
    [InlineData("`a``b`", nameof(SqlTokenKind.QuotedIdentifier))]
    [InlineData("[my table]", nameof(SqlTokenKind.QuotedIdentifier))]
    public void Next_VariablesAndQuotedNames_AreSingleTokens(string text, string kind)
    {
        var token = Assert.Single(Read(text));
        Assert.Equal(Enum.Parse<SqlTokenKind>(kind), token.Kind);
        Assert.Equal(text.Length, token.Length);
    }

    [Theory]
    [InlineData("<=>", nameof(SqlOperator.Comparison))]
    [InlineData("<>", nameof(SqlOperator.Comparison))]
    [InlineData("!=", nameof(SqlOperator.Comparison))]
    [InlineData("==", nameof(SqlOperator.Comparison))]
    [InlineData("===", nameof(SqlOperator.Comparison))]
    [InlineData("!==", nameof(SqlOperator.Comparison))]
    [InlineData("<=", nameof(SqlOperator.Comparison))]
    [InlineData("<@", nameof(SqlOperator.Comparison))]
    [InlineData("@>", nameof(SqlOperator.Comparison))]
    [InlineData("?|", nameof(SqlOperator.Comparison))]
    [InlineData("||", nameof(SqlOperator.DoublePipe))]
    [InlineData("&&", nameof(SqlOperator.DoubleAmpersand))]
    [InlineData("<<", nameof(SqlOperator.Bitwise))]
    [InlineData(">>", nameof(SqlOperator.Bitwise))]
    [InlineData("::", nameof(SqlOperator.Cast))]
    [InlineData(":=", nameof(SqlOperator.Assign))]
    [InlineData("->>", nameof(SqlOperator.Json))]
    [InlineData("#>>", nameof(SqlOperator.Json))]
    [InlineData("~", nameof(SqlOperator.Tilde))]
    [InlineData("!", nameof(SqlOperator.Bang))]
    public void Next_Operator_TakesTheLongestMatch(string text, string op)
    {
        var token = Assert.Single(Read(text));
        Assert.Equal(SqlTokenKind.Operator, token.Kind);
        Assert.Equal(Enum.Parse<SqlOperator>(op), token.Operator);
        Assert.Equal(text.Length, token.Length);
    }

    [Fact]
    public void Next_HashDashDash_IsAComment()
    {
        // MySQL's '#' comment, not PostgreSQL's #- operator followed by a minus.
        var token = Assert.Single(Read("#--"));
        Assert.Equal(SqlTokenKind.LineComment, token.Kind);
    }

    [Fact]
    public void Next_HashDashBeforeASpacedString_IsPostgresPathDeletion()
    {
        // '...'::jsonb #- '{1,b}', as PostgreSQL's documentation writes it; "#- x" stays a comment.
        Assert.Equal(["String:'[1]'", "Operator:#-", "String:'{1,b}'"], Describe("'[1]' #- '{1,b}'"));
        Assert.Equal(["LineComment:#- x"], Describe("#- x"));
    }

    [Theory]
    [InlineData("[xx", "QuotedIdentifier:[xx")]
    [InlineData(";truncate[xx", "Semicolon:;|Keyword:truncate|QuotedIdentifier:[xx")]
    [InlineData("[1", "Other:[|Number:1")]
    [InlineData("[a b", "Other:[|Identifier:a|Identifier:b")]
    public void Next_BracketCutOffByTheEnd_IsAName(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), Describe(text));
    }

    [Fact]
    public void Next_BackslashN_IsMySqlNull()
    {
        var tokens = Read("1 is \\N");
        Assert.Equal(SqlKeyword.Null, tokens[^1].Keyword);
    }

    [Fact]
    public void Next_PlusIsSpace_ReadsFormEncodedText()
    {
        Assert.Equal(["Keyword:UNION", "Keyword:SELECT", "Number:1"], Describe("UNION+SELECT+1", plusIsSpace: true));
        Assert.Equal(["Number:1", "Operator:+", "Number:1"], Describe("1+1"));
    }

    [Fact]
    public void Next_ControlCharactersAndNoBreakSpace_SeparateTokens()
    {
        Assert.Equal(["Keyword:SELECT", "Identifier:a", "Keyword:FROM", "Identifier:b"], Describe("SELECT\u000ba\0FROM\u00a0b"));
    }

    [Fact]
    public void Next_AtTheEnd_ReturnsFalseAndAnEndToken()
    {
        var tokenizer = new SqlTokenizer("  ");
        Assert.False(tokenizer.Next(out var token));
        Assert.Equal(SqlTokenKind.End, token.Kind);
        Assert.Equal(2, token.Start);
        Assert.Equal(0, token.Length);
    }

    [Theory]
    [InlineData("a''b' or 1=1", '\'', 4)]
    [InlineData("a\\'b' x", '\'', 4)]
    [InlineData("' or 1=1", '\'', 0)]
    [InlineData("''", '\'', -1)]
    [InlineData("it''s fine", '\'', -1)]
    [InlineData("O'Brien", '\'', 1)]
    [InlineData("say \"hi\"", '"', 4)]
    public void FindClosingQuote_SkipsDoubledAndEscapedQuotes(string text, char quote, int expected)
    {
        Assert.Equal(expected, SqlTokenizer.FindClosingQuote(text, quote));
    }

    [Fact]
    public void FindBackslashedQuote_FindsTheFirstEscapedQuote()
    {
        Assert.Equal(2, SqlTokenizer.FindBackslashedQuote("a\\'or'1", '\''));
        Assert.Equal(-1, SqlTokenizer.FindBackslashedQuote("a'b", '\''));
    }

    [Theory]
    [InlineData("(")]
    [InlineData("'")]
    [InlineData("/*!")]
    [InlineData("*/")]
    [InlineData("-")]
    [InlineData("@@")]
    [InlineData("$$")]
    [InlineData("[")]
    [InlineData("\\")]
    [InlineData("1e")]
    public void Next_PathologicalInput_ConsumesEveryCharacterOnce(string unit)
    {
        // A megabyte of one pattern: tokens never overlap and the tokenizer always moves forward.
        var text = string.Concat(Enumerable.Repeat(unit, (1 << 20) / unit.Length));
        var tokenizer = new SqlTokenizer(text);
        var count = 0;
        var previousEnd = 0;
        while (tokenizer.Next(out var token))
        {
            Assert.True(token.Start >= previousEnd);
            Assert.True(token.End > token.Start || token.Kind == SqlTokenKind.End);
            previousEnd = token.End;
            count++;
        }

        Assert.InRange(count, 0, text.Length);
    }

    private static List<SqlToken> Read(string text, bool plusIsSpace = false)
    {
        var tokens = new List<SqlToken>();
        var tokenizer = new SqlTokenizer(text, 0, plusIsSpace);
        while (tokenizer.Next(out var token))
        {
            tokens.Add(token);
        }

        return tokens;
    }

    private static List<string> Describe(string text, bool plusIsSpace = false)
    {
        var result = new List<string>();
        foreach (var token in Read(text, plusIsSpace))
        {
            result.Add($"{token.Kind}:{text.Substring(token.Start, token.Length)}");
        }

        return result;
    }
}
