namespace Palisade.Node.Access;

/// <summary>One country on one list, from <c>ip-lists.countries</c>.</summary>
/// <param name="Country">An ISO 3166-1 alpha-2 code in capitals (<c>NL</c>), as country databases store them.</param>
/// <param name="Kind">The list it is on.</param>
public sealed record CountryListEntry(string Country, IpListKind Kind);
