using MaxMind.Db;

namespace Palisade.Node.Access.GeoIp;

/// <summary>
/// The part of a country database's record country rules read: <c>country</c>, and <c>registered_country</c> for
/// networks with no country of their own. Deserialized by the MaxMind.Db source generator, without reflection.
/// </summary>
internal sealed class CountryRecord
{
    [Constructor]
    public CountryRecord(
        [MapKey("country")] CountryRecordCountry? country = null,
        [MapKey("registered_country")] CountryRecordCountry? registeredCountry = null)
    {
        Country = country;
        RegisteredCountry = registeredCountry;
    }

    public CountryRecordCountry? Country { get; }

    public CountryRecordCountry? RegisteredCountry { get; }
}
