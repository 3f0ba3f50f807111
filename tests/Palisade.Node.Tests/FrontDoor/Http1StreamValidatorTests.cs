using System.Buffers;
using System.Text;
using Palisade.Node.FrontDoor;

namespace Palisade.Node.Tests.FrontDoor;

/// <summary>The front door's framing state machine on its own: what it releases, where it stops, however the bytes arrive.</summary>
public sealed class Http1StreamValidatorTests
{
    public static TheoryData<string, long, ProtocolViolation?> Cases => new()
    {
        // Whole messages are released; a violation stops release where the last good message ended.
        { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27, null },
        { "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n", 55, null },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 50, null },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 69, null },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"y\"\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n", 85, null },
        { "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 27, ProtocolViolation.DuplicateHost },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 0, ProtocolViolation.ContentLengthWithTransferEncoding },
        { "GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n", 27, ProtocolViolation.BadRequestLine },
        { "GET http://a/x HTTP/1.1\r\nHost: b\r\n\r\n", 0, ProtocolViolation.HostMismatch },
        { "GET http://a/x HTTP/1.1\r\nHost: A\r\n\r\n", 36, null },
        { "GET http://u@a/x HTTP/1.1\r\nHost: a\r\n\r\n", 0, ProtocolViolation.BadTarget },
        { "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 31, null },
        { "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 0, ProtocolViolation.BadTarget },
        { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27, null },
        { "GET / HTTP/1.1\r\n\r\n", 0, ProtocolViolation.MissingHost },
        { "GET / HTTP/1.0\r\n\r\n", 18, null },
        // Charsets: the allow-list, one charset parameter, no x-up-devcap-post-charset.
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n\r\n", 71, null },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain; charset=utf-7\r\n\r\n", 0, ProtocolViolation.UnsupportedCharset },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain;charset=utf-8;charset=utf-8\r\n\r\n", 0, ProtocolViolation.DuplicateCharset },
        { "POST / HTTP/1.1\r\nHost: a\r\nX-Up-Devcap-Post-Charset: utf-8\r\n\r\n", 0, ProtocolViolation.UnsupportedCharset },
        // Chunked: data goes on as it comes except for its last byte, which waits for the CRLF after it.
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", 61, ProtocolViolation.BadChunkTerminator },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc", 61, null },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nCookie: a\r\n\r\n", 64, ProtocolViolation.ForbiddenTrailer },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", 56, ProtocolViolation.BadChunkSize },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n", 73, null },
        // Upgrade without a 101: the next bytes are a request again, checked as one.
        { "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 68, ProtocolViolation.DuplicateHost },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Releases_whole_messages_and_stops_at_the_first_violation(string input, long released, ProtocolViolation? violation)
    {
        var whole = Feed(input, input.Length, switched: false);

        Assert.Equal((released, violation), (whole.Released, whole.Violation));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_byte_at_a_time_gives_the_same_verdict(string input, long released, ProtocolViolation? violation)
    {
        foreach (var size in new[] { 1, 2, 3, 7 })
        {
            var pieces = Feed(input, size, switched: false);
            Assert.Equal((released, violation), (pieces.Released, pieces.Violation));
        }
    }

    [Fact]
    public void After_a_101_the_bytes_pass_as_a_tunnel()
    {
        var input = "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x05hello not http at all\r\n\n";

        var result = Feed(input, 5, switched: true);

        Assert.Equal((input.Length, (ProtocolViolation?)null), (result.Released, result.Violation));
    }

    [Theory]
    [InlineData(8192, null)]
    [InlineData(8193, ProtocolViolation.RequestLineTooLong)]
    public void The_request_line_limit_is_exact(int lineLength, ProtocolViolation? violation)
    {
        var target = "/" + new string('a', lineLength - "GET  HTTP/1.1".Length - 1);
        var input = $"GET {target} HTTP/1.1\r\nHost: a\r\n\r\n";

        Assert.Equal(violation, Feed(input, 1000, switched: false).Violation);
    }

    [Fact]
    public void A_head_that_never_ends_is_refused_at_the_limit_not_buffered()
    {
        var validator = new Http1StreamValidator(new FrontDoorLimits(), () => false);
        var input = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX: " + new string('a', 40_000));

        Assert.Equal(0, validator.Advance(new ReadOnlySequence<byte>(input)));
        Assert.Equal(ProtocolViolation.HeadersTooLarge, validator.Violation);
        Assert.True(validator.ViolationInHead);
    }

    [Theory]
    [InlineData(99, null)]
    [InlineData(100, ProtocolViolation.TooManyHeaders)]
    public void The_101st_field_is_refused(int besidesHost, ProtocolViolation? violation)
    {
        var fields = string.Concat(Enumerable.Range(0, besidesHost).Select(i => $"X-{i}: v\r\n"));

        Assert.Equal(violation, Feed($"GET / HTTP/1.1\r\nHost: a\r\n{fields}\r\n", 4096, switched: false).Violation);
    }

    // Plays the reader: bytes arrive in pieces of `size`, released bytes leave the pending buffer.
    private static (long Released, ProtocolViolation? Violation) Feed(string input, int size, bool switched)
    {
        var bytes = Encoding.Latin1.GetBytes(input);
        var validator = new Http1StreamValidator(new FrontDoorLimits(), () => switched);
        long released = 0;
        var arrived = 0;
        while (arrived < bytes.Length && validator.Violation is null)
        {
            arrived = Math.Min(bytes.Length, arrived + size);
            released += validator.Advance(new ReadOnlySequence<byte>(bytes, (int)released, arrived - (int)released));
        }

        return (released, validator.Violation);
    }
}
