using System.Net;
using Palisade.Node.Configuration;

namespace Palisade.Node.Tests.Configuration;

public class ValueParserTests
{
    [Theory]
    [InlineData("80", "0.0.0.0", 80)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("localhost:1", "127.0.0.1", 1)]
    [InlineData("[::1]:9901", "::1", 9901)]
    [InlineData("*:0", "0.0.0.0", 0)]
    public void ListenAddress_Valid_Parses(string text, string address, int port) =>
        Assert.Equal(new ListenAddress(IPAddress.Parse(address), port), ListenAddress.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("host:80")]
    [InlineData("::1:80")]
    [InlineData("1.2.3.4:-1")]
    [InlineData("1.2.3.4:65536")]
    [InlineData("[::1]80")]
    public void ListenAddress_Invalid_Throws(string text) =>
        Assert.Throws<FormatException>(() => ListenAddress.Parse(text));

    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("1MiB", 1048576)]
    [InlineData("512KiB", 524288)]
    [InlineData("64k", 65536)]
    [InlineData("2MB", 2097152)]
    [InlineData("1.5M", 1572864)]
    public void ByteSize_Valid_Parses(string text, long bytes)
    {
        Assert.Equal(bytes, ByteSize.Parse(text));
        Assert.Equal(bytes, ByteSize.Parse(ByteSize.Format(bytes)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("MiB")]
    [InlineData("10XB")]
    [InlineData("-1")]
    public void ByteSize_Invalid_Throws(string text) =>
        Assert.Throws<FormatException>(() => ByteSize.Parse(text));

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("20s", 20_000)]
    [InlineData("20", 20_000)]
    [InlineData("2m", 120_000)]
    [InlineData("0.5s", 500)]
    public void Duration_Valid_Parses(string text, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(Duration.Format(TimeSpan.FromMilliseconds(milliseconds))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5 days")]
    public void Duration_Invalid_Throws(string text) =>
        Assert.Throws<FormatException>(() => Duration.Parse(text));
}
