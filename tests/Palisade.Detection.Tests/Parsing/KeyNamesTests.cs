using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

/// <summary>Plain names are skipped; operator names and dotted object paths are inspected.</summary>
public class KeyNamesTests
{
    [Theory]
    [InlineData("user_id")]
    [InlineData("items[0].name")]
    [InlineData("filter[price][gte]")]
    [InlineData("v1.2")]
    [InlineData("page-size")]
    [InlineData("ro0abq")]
    [InlineData("shipping[postalCode]")]
    [InlineData("prop")]
    [InlineData("protocol")]
    [InlineData("p")]
    public void IsPlain_IdentifierNames_True(string name) => Assert.True(KeyNames.IsPlain(name));

    [Theory]
    [InlineData("$where")]
    [InlineData("user[$ne]")]
    [InlineData("class.module.classLoader.resources")]
    [InlineData("java.lang.Runtime")]
    [InlineData("user.name")]
    [InlineData("__proto__[isAdmin]")]
    [InlineData("constructor[prototype][x]")]
    [InlineData("a[__PROTO__][b]")]
    [InlineData("papa[pProToType]")]
    [InlineData("rO0ABQ")]
    [InlineData("KztAAU")]
    [InlineData("Cs7QAFx")]
    [InlineData("ACED0005737200")]
    [InlineData("a b")]
    [InlineData("name'--")]
    public void IsPlain_OperatorsPathsAndPunctuation_False(string name) => Assert.False(KeyNames.IsPlain(name));

    [Fact]
    public void IsPlain_LongName_False() => Assert.False(KeyNames.IsPlain(new string('a', 65)));
}
