using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Engine;

/// <summary>Well-formed values of structured headers are skipped; anything off-grammar is inspected.</summary>
public class InertHeaderValuesTests
{
    [Theory]
    [InlineData("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")]
    [InlineData("accept", "application/json, text/plain, */*")]
    [InlineData("accept-language", "en-US,en;q=0.9,de;q=0.8")]
    [InlineData("accept-charset", "utf-8, iso-8859-1;q=0.5")]
    [InlineData("host", "shop.example.com:8443")]
    [InlineData("host", "[::1]:80")]
    [InlineData("sec-ch-ua", "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"")]
    [InlineData("sec-ch-ua", "\"Not)A;Brand\";v=\"99\", \"Google Chrome\";v=\"127\", \"Chromium\";v=\"127\"")]
    [InlineData("sec-ch-ua-platform", "\"Windows\"")]
    [InlineData("referer", "https://shop.example.com/products/42?utm_source=x&q=%27")]
    [InlineData("origin", "https://shop.example.com")]
    public void IsInert_WellFormed_True(string name, string value) => Assert.True(InertHeaderValues.IsInert(name, value));

    [Theory]
    [InlineData("accept", "text/html' or '1'='1")]
    [InlineData("accept", "text/html <script>")]
    [InlineData("accept", "*/*;q=0.8 union select 1")]
    [InlineData("accept-language", "en-US,en;q=0.9' AND SLEEP(5)--")]
    [InlineData("accept-language", "en(1)")]
    [InlineData("host", "evil.com<script>")]
    [InlineData("host", "a' or 1=1--")]
    [InlineData("sec-ch-ua", "\"x' or '1'='1\";v=\"1\"")]
    [InlineData("sec-ch-ua", "\"<script>alert(1)</script>\";v=\"1\"")]
    [InlineData("referer", "https://x.example/a<script>/b")]
    [InlineData("referer", "https://x.example/a'b")]
    [InlineData("referer", "https://x.example/../etc/passwd")]
    [InlineData("referer", "https://x.example/p#<img src=x onerror=alert(1)>")]
    [InlineData("referer", "javascript:alert(1)")]
    [InlineData("user-agent", "Mozilla/5.0")]
    [InlineData("x-custom", "anything")]
    public void IsInert_OffGrammarOrUnknownHeader_False(string name, string value) => Assert.False(InertHeaderValues.IsInert(name, value));
}
