using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public class CookieHeaderParserTests
{
    [Fact]
    public void Parse_Pairs_TrimsAndUnquotes()
    {
        var visitor = new RecordingVisitor();
        CookieHeaderParser.Parse(" sid=abc;lang=\"en%20GB\" ; ;flag", visitor);
        Assert.Equal(["cookie.sid=abc", "cookie.lang=en%20GB", "cookie.flag#name=flag"], visitor.Visits);
        Assert.All(visitor.Origins, o => Assert.Equal(ValueSource.Cookie, o.Source));
    }
}
