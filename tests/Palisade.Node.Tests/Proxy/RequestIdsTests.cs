using Palisade.Node.Proxy;

namespace Palisade.Node.Tests.Proxy;

public class RequestIdsTests
{
    [Fact]
    public void New_Called_GivesDistinct32HexIds()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => RequestIds.New()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("a.b_c:d", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a\"b", false)]
    public void IsValid_Id_ChecksCharacters(string id, bool valid) => Assert.Equal(valid, RequestIds.IsValid(id));

    [Fact]
    public void IsValid_TooLong_False() => Assert.False(RequestIds.IsValid(new string('a', RequestIds.MaxLength + 1)));

    [Fact]
    public void FromHeaderOrNew_TwoValues_MakesNewId() =>
        Assert.NotEqual("a", RequestIds.FromHeaderOrNew(new Microsoft.Extensions.Primitives.StringValues(["a", "b"])));
}
