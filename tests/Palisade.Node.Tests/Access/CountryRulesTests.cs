using Palisade.Node.Access;

namespace Palisade.Node.Tests.Access;

public sealed class CountryRulesTests
{
    [Fact]
    public void KindOf_ListedCountries_TheirList()
    {
        var rules = new CountryRules([new("XX", IpListKind.Deny), new("NL", IpListKind.Allow), new("ZZ", IpListKind.Gray)]);

        Assert.Equal(IpListKind.Deny, rules.KindOf("XX"));
        Assert.Equal(IpListKind.Allow, rules.KindOf("NL"));
        Assert.Equal(IpListKind.Gray, rules.KindOf("ZZ"));
        Assert.Equal(3, rules.Count);
    }

    [Theory]
    [InlineData("DE")]
    [InlineData("xx")]
    [InlineData("X")]
    [InlineData("XXX")]
    [InlineData("")]
    [InlineData(null)]
    public void KindOf_UnlistedOrNotACode_Null(string? country) =>
        Assert.Null(new CountryRules([new("XX", IpListKind.Deny)]).KindOf(country));

    [Fact]
    public void Constructor_CountryTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => new CountryRules([new("XX", IpListKind.Deny), new("XX", IpListKind.Allow)]));

    [Theory]
    [InlineData("nl")]
    [InlineData("NLD")]
    [InlineData("N1")]
    public void Constructor_NotACode_Throws(string country) =>
        Assert.Throws<ArgumentException>(() => new CountryRules([new(country, IpListKind.Deny)]));
}
