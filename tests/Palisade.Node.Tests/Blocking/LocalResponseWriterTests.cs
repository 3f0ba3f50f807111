using Palisade.Node.Blocking;

namespace Palisade.Node.Tests.Blocking;

public class LocalResponseWriterTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("application/json, text/plain, */*", true)]
    [InlineData("text/html,application/xhtml+xml,application/json;q=0.5", false)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    public void WantsJson_Accept_Decides(string accept, bool json) => Assert.Equal(json, LocalResponseWriter.WantsJson(accept));
}
