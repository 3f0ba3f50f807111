using MaxMind.Db;

namespace Palisade.Node.Access.GeoIp;

/// <summary>A country in a country database's record: only its ISO 3166-1 alpha-2 code is read.</summary>
internal sealed class CountryRecordCountry
{
    [Constructor]
    public CountryRecordCountry([MapKey("iso_code")] string? isoCode = null) => IsoCode = isoCode;

    public string? IsoCode { get; }
}
