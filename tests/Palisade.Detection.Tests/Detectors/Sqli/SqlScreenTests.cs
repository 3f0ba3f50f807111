using Palisade.Detection.Detectors.Sqli;

namespace Palisade.Detection.Tests.Detectors.Sqli;

/// <summary>
/// The pre-filter is sound only if every value it lets go is one the grammar would find nothing in. Plain text
/// (words, spaces, sentence punctuation) is read only when it holds a word that can make it SQL on its own.
/// </summary>
public class SqlScreenTests
{
    [Theory]
    [InlineData("Designing Data-Intensive Applications")]
    [InlineData("first-time buyer, data export")]
    [InlineData("Data, time, text!")]
    [InlineData("Leave the parcel at the front.")]
    [InlineData("2025-11-26")]
    public void MayHoldSql_PlainTextWithoutKeyword_False(string value) => Assert.False(SqlScreen.MayHoldSql(value));

    [Theory]
    [InlineData("1 or true")]
    [InlineData("name and address")]
    [InlineData("x union select y")]
    [InlineData("current_user")]
    [InlineData("SESSION_USER - 1")]
    [InlineData("utc_date")]
    [InlineData("1 notnull")]
    [InlineData("information_schema")]
    [InlineData("1union")]
    [InlineData("-0xunion")]
    [InlineData("1from t")]
    public void MayHoldSql_PlainTextWithKeywordOrNiladicFunction_True(string value) => Assert.True(SqlScreen.MayHoldSql(value));

    [Theory]
    [InlineData("data(1)")]
    [InlineData("user()")]
    [InlineData("time='x'")]
    [InlineData("sleep 5;")]
    public void MayHoldSql_ValueWithCodeCharacters_KnownWordEnough(string value) => Assert.True(SqlScreen.MayHoldSql(value));
}
