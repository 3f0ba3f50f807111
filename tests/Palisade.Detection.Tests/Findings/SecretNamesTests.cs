using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Findings;

public class SecretNamesTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("userPassword")]
    [InlineData("new_passwd")]
    [InlineData("api_key")]
    [InlineData("apiKey")]
    [InlineData("X-Auth-Token")]
    [InlineData("access_token")]
    [InlineData("client_secret")]
    [InlineData("PHPSESSID")]
    [InlineData("jwt")]
    [InlineData("otp-code")]
    [InlineData("card_cvv")]
    public void IsSecretKey_CredentialName_True(string name) => Assert.True(SecretNames.IsSecretKey(name));

    [Theory]
    [InlineData("spinner")]
    [InlineData("author")]
    [InlineData("passenger")]
    [InlineData("keyword")]
    [InlineData("q")]
    [InlineData("description")]
    [InlineData("tokenizer_mode")]
    public void IsSecretKey_OrdinaryName_False(string name) => Assert.False(SecretNames.IsSecretKey(name));

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("proxy-authorization", true)]
    [InlineData("Cookie", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("User-Agent", false)]
    [InlineData("Referer", false)]
    public void IsSecretHeader_Name_Decides(string name, bool secret) => Assert.Equal(secret, SecretNames.IsSecretHeader(name));
}
