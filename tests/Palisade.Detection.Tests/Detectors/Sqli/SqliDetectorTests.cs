using Palisade.Detection.Detectors.Sqli;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.Sqli;

public class SqliDetectorTests() : DetectorCaseFileTests<SqliDetector>("sqli.grammar", AttackType.Sqli)
{
    [Theory]
    [InlineData("admin' or 'zq'='zq", "tautology after string break-out")]
    [InlineData("1 or 1=1", "tautology")]
    [InlineData("' union select zq,2--", "UNION SELECT")]
    [InlineData("'; drop table zq--", "stacked query")]
    [InlineData("1 and sleep(5)", "time-delay function")]
    [InlineData("admin'--", "comment truncation after break-out")]
    [InlineData("' into outfile '/tmp/zq'--", "file read or write")]
    [InlineData("'; exec master..xp_cmdshell 'zq'--", "command execution")]
    [InlineData("' and extractvalue(1,concat(0x7e,version()))--", "error-based extraction function")]
    [InlineData("select @@version", "system variable")]
    public void TryDetect_Attack_GivesFixedReason(string value, string reason) => AssertFixedReason(value, reason);

    [Theory]
    [InlineData("john.doe' or 'a'='a", 8)]
    [InlineData("x\" union select 1--", 1)]
    [InlineData("admin'--", 5)]
    public void TryDetect_BreakOut_EvidenceStartsAtTheClosingQuote(string value, int quoteAt)
    {
        Assert.True(Detector.TryDetect(value, new ValueOrigin(ValueSource.Form), out var match));
        Assert.Equal(quoteAt, match.Start);
        Assert.InRange(match.Start + match.Length, quoteAt + 1, value.Length);
    }

    [Fact]
    public void TryDetect_EvidenceInsideLongValue_PointsAtTheInjection()
    {
        var embedded = "q=" + new string('a', 500) + "&id=1 union select password from users";

        Assert.True(Detector.TryDetect(embedded, new ValueOrigin(ValueSource.Body), out var match));
        Assert.Equal("UNION SELECT", match.Reason);
        Assert.Equal(embedded.IndexOf("union", StringComparison.Ordinal), match.Start);
    }

    [Theory]
    [InlineData("'", 'x')]
    [InlineData("(", 'x')]
    [InlineData("'", ' ')]
    [InlineData("\"", 'x')]
    [InlineData("/*", 'x')]
    [InlineData("/*!", 'x')]
    [InlineData("1+", 'x')]
    [InlineData("1=", 'x')]
    [InlineData("not ", 'x')]
    [InlineData("select ", 'x')]
    [InlineData("if 1 ", 'x')]
    [InlineData("case ", 'x')]
    [InlineData("f(", 'x')]
    [InlineData("a.", 'x')]
    [InlineData("x=&&(", 'x')]
    [InlineData("' or 1=1 ", 'x')]
    [InlineData(";select 1", 'x')]
    [InlineData("((select 1 from t where ", 'x')]
    [InlineData("char(1)+", 'x')]
    [InlineData("\\'", 'x')]
    [InlineData("[", 'x')]
    [InlineData("&&", 'x')]
    [InlineData("a=&", 'x')]
    [InlineData("+", 'x')]
    [InlineData("@@v ", 'x')]
    [InlineData("\u2019 or ", 'x')]
    [InlineData("waitfor ", 'x')]
    [InlineData("`", 'x')]
    [InlineData("(select ", 'x')]
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler) => AssertMegabyteReturns(unit, filler, ValueSource.Query, ValueSource.Body, ValueSource.Header);

    [Fact]
    public void TryDetect_TypographicQuotesInLongValue_AreReadAsAsciiQuotes()
    {
        // Longer than the stack buffer: the folded copy comes from the pool, and the span still points into the value.
        var value = new string('a', 600) + "\u2019 or \u20181\u2019=\u20191";

        Assert.True(Detector.TryDetect(value, new ValueOrigin(ValueSource.Form), out var match));
        Assert.Equal("tautology after string break-out", match.Reason);
        Assert.Equal(600, match.Start);
    }

    [Fact]
    public void TryDetect_SecondOrderEncoding_ReadsPlusAsSpace()
    {
        // A raw body nobody form-decoded: UNION+SELECT is "UNION SELECT".
        Assert.True(Detector.TryDetect("1+UNION+SELECT+1,2", new ValueOrigin(ValueSource.Body), out var match));
        Assert.Equal("UNION SELECT", match.Reason);
    }

    [Fact]
    public void TryDetect_RefererWithInjectedParameter_ReadsTheParameter()
    {
        const string referer = "https://shop.example.com/search?q=ORDER BY 26--&page=2";

        Assert.True(Detector.TryDetect(referer, new ValueOrigin(ValueSource.Header, Header: "referer"), out var match));
        Assert.Equal("ORDER BY column probe", match.Reason);
    }

    [Fact]
    public void TryDetect_EmbeddedParametersInQueryValue_AreNotSplit()
    {
        // Query values were split by the engine already; only raw bodies, headers and paths are read as pairs.
        Assert.False(Detector.TryDetect("a=ORDER BY 26", new ValueOrigin(ValueSource.Query), out _));
    }
}
