namespace Palisade.Node.Access;

/// <summary>
/// The country lists of a configuration, looked up by code without allocating: a table of the 676 two-capital
/// codes. A country sits on one list at most (the configuration rejects one listed twice), so no precedence
/// among countries is needed; address entries of any list are more specific and decide before countries do.
/// </summary>
public sealed class CountryRules
{
    private const int Letters = 26;

    // 0: not listed; otherwise the IpListKind + 1.
    private readonly byte[] _kinds = new byte[Letters * Letters];

    public CountryRules(IEnumerable<CountryListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<CountryListEntry>();
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var index = IndexOf(entry.Country);
            if (index < 0)
            {
                throw new ArgumentException($"'{entry.Country}' is not an ISO 3166-1 alpha-2 code in capitals", nameof(entries));
            }

            if (_kinds[index] != 0)
            {
                throw new ArgumentException($"{entry.Country} is listed twice", nameof(entries));
            }

            _kinds[index] = (byte)((int)entry.Kind + 1);
            list.Add(entry);
        }

        Entries = list;
    }

    public static CountryRules Empty { get; } = new([]);

    public IReadOnlyList<CountryListEntry> Entries { get; }

    public int Count => Entries.Count;

    /// <summary>The country rules of <paramref name="options"/>.</summary>
    public static CountryRules FromOptions(Configuration.NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CountryLists.Count == 0 ? Empty : new CountryRules(options.CountryLists);
    }

    /// <summary>The list <paramref name="country"/> is on; null when none (or when it is not a two-capital code).</summary>
    public IpListKind? KindOf(string? country)
    {
        var index = IndexOf(country);
        return index < 0 || _kinds[index] == 0 ? null : (IpListKind)(_kinds[index] - 1);
    }

    /// <summary>Two capital letters A-Z.</summary>
    public static bool IsCode(string? text) => IndexOf(text) >= 0;

    private static int IndexOf(string? code) =>
        code is { Length: 2 } && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1])
            ? ((code[0] - 'A') * Letters) + (code[1] - 'A')
            : -1;
}
