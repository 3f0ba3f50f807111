using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Palisade.Node.FrontDoor;

namespace Palisade.Node.Tests.FrontDoor;

public sealed class Http2RequestValidatorTests
{
    [Theory]
    [InlineData("/a?b=c", null, null, null)]
    [InlineData("/a", "te", "trailers", null)]
    [InlineData("/a", "cookie", "a=1; b=2", null)]
    [InlineData("/a b", null, null, ProtocolViolation.BadTarget)]
    [InlineData("/a#b", null, null, ProtocolViolation.FragmentInTarget)]
    [InlineData("/a%2", null, null, ProtocolViolation.BadPercentEncoding)]
    [InlineData("/a", "transfer-encoding", "chunked", ProtocolViolation.ConnectionSpecificHeader)]
    [InlineData("/a", "Upgrade", "websocket", ProtocolViolation.ConnectionSpecificHeader)]
    [InlineData("/a", "x_forwarded_for", "1.2.3.4", ProtocolViolation.UnderscoreInFramingHeader)]
    [InlineData("/a", "x-up-devcap-post-charset", "ibm037", ProtocolViolation.UnsupportedCharset)]
    public void Check_AppliesTheRequestRulesOfTheFrontDoor(string target, string? name, string? value, ProtocolViolation? expected)
    {
        var context = Request(target);
        if (name is not null)
        {
            context.Request.Headers[name] = value;
        }

        Assert.Equal(expected, Http2RequestValidator.Check(context, new FrontDoorLimits()));
    }

    [Fact]
    public void Check_TwoContentTypes_AreRefused()
    {
        var context = Request("/a");
        context.Request.Headers.ContentType = new(["text/plain", "application/json"]);
        Assert.Equal(ProtocolViolation.DuplicateContentType, Http2RequestValidator.Check(context, new FrontDoorLimits()));
    }

    [Fact]
    public void Check_ATargetOverTheRequestLineLimit_Is414()
    {
        var context = Request("/" + new string('a', 9000));
        var violation = Http2RequestValidator.Check(context, new FrontDoorLimits());
        Assert.Equal(ProtocolViolation.RequestLineTooLong, violation);
        Assert.Equal(414, violation!.Value.Status());
    }

    private static DefaultHttpContext Request(string target)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = "HTTP/2";
        context.Request.Method = "GET";
        context.Request.Headers.Host = "node";
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget = target;
        return context;
    }
}
