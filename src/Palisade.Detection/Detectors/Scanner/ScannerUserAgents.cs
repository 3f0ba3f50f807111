using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Palisade.Detection.Detectors.Scanner;

/// <summary>
/// The product names security scanners, fuzzers and attack tools send in <c>User-Agent</c> (after OWASP CRS's
/// <c>scanners-user-agents.data</c>). A User-Agent is split into its words (product names, comments, versions)
/// and each word is looked up whole, so <c>nikto</c> matches <c>Nikto/2.1.6</c> but not a word that contains it.
/// </summary>
internal static class ScannerUserAgents
{
    // Characters that end a word of a User-Agent: product/version separators, comment brackets, list marks.
    private static readonly SearchValues<char> WordBreaks = SearchValues.Create(" \t/()[];,+:=#\"'<>{}");

    private static readonly FrozenSet<string> Products = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "nikto", "sqlmap", "nmap", "masscan", "wpscan", "dirbuster", "gobuster", "nuclei", "acunetix", "nessus",
        "openvas", "openvas-vt", "zgrab", "arachni", "betabot", "bewica-security-scan", "bfac", "commix", "detectify",
        "fimap.googlecode.com", "fimap", "whatwaf", "havij", "hexometer", "jbrofuzz", "jorgee", "libwhisker",
        "morfeus", "mozlila", "netlab360", "netsparker", "nettacker", "securityagent", "sitelockspider", "sysscan",
        "tsunamisecurityscanner", "w3af", "w3af.org", "webbandit", "webshag", "wfuzz", "whatweb", "wprecon", "feroxbuster",
        "l9explore", "l9tcpid", "wapiti", "vega", "appspider", "ironwasp", "skipfish", "qualysguard", "n-stalker",
        "cmsmap", "sqlninja", "xsstrike", "xsser", "joomscan", "droopescan", "ghauri", "zmeu", "wpprobe", "sstimap",
        "hydra", "tplmap", "dotdotpwn", "shortscan", "kadimus", "lfisuite", "panoptic", "lfimap", "graphw00f",
        "graphql-cop", "jsql", "noseyparker", "trufflehog", "yeswehack-hunter", "tinja", "appscan", "ffuf", "dirb",
        "dirsearch", "burpcollaborator", "brutus", "bsqlbf", "cgichk", "grabber", "grendel-scan", "mysqloit",
        "pangolin", "paros", "webinspect", "webvulnscan", "zap", "owasp_zap", "zgrab2", "httpx", "interactsh",
        "netsystemsresearch", "black widow", "blackwidow", "morpheus", "arachni", "struts-pwn", "scanbot", "sqlsus",
        "mozilla/5.g", "absinthe", "crimscanner", "metis", "teh forest lobster", "nsauditor", "ntlmrecon");

    // Products whose name is several words, or whose version is written into the product word.
    private static readonly string[] Phrases =
    [
        "fuzz faster u fool", "nmap scripting engine", "jsql injection", "morfeus fucking scanner", "mozilla/5.g",
        "dirbuster-", "tsunamisecurityscanner", "wordpress recon scanner", "web vulnerability scanner",
    ];

    // The first two characters of every product, lower-cased: a word starting otherwise is no product, and
    // neither is its stem (which starts the same way, or is one character long).
    private static readonly bool[] ProductStarts = FirstPairs(Products);

    // One vectorised pass for all phrases, used on ASCII User-Agents (where OrdinalIgnoreCase is ASCII casing).
    private static readonly SearchValues<string> PhraseSearch = SearchValues.Create(Phrases, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where a scanner's product name starts in <paramref name="userAgent"/>, and its length.</summary>
    public static bool TryFind(ReadOnlySpan<char> userAgent, out int start, out int length)
    {
        var lookup = Products.GetAlternateLookup<ReadOnlySpan<char>>();

        // Non-ASCII characters can equal ASCII ones under OrdinalIgnoreCase ('\u017F' and 's'): the pre-filters
        // below only stand in for the lookups on an ASCII User-Agent.
        var ascii = Ascii.IsValid(userAgent);
        var i = 0;
        while (i < userAgent.Length)
        {
            var rest = userAgent[i..];
            var end = rest.IndexOfAny(WordBreaks);
            var word = end < 0 ? rest : rest[..end];
            if (!word.IsEmpty && word.Length <= 40 && (!ascii || MayBeProduct(word))
                && (lookup.Contains(word) || lookup.Contains(Stem(word))))
            {
                start = i;
                length = word.Length;
                return true;
            }

            i += end < 0 ? rest.Length : end + 1;
        }

        if (ascii && !userAgent.ContainsAny(PhraseSearch))
        {
            start = 0;
            length = 0;
            return false;
        }

        foreach (var phrase in Phrases)
        {
            var at = userAgent.IndexOf(phrase, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                start = at;
                length = phrase.Length;
                return true;
            }
        }

        start = 0;
        length = 0;
        return false;
    }

    private static bool MayBeProduct(ReadOnlySpan<char> word) => word.Length >= 2 && ProductStarts[PairIndex(word[0], word[1])];

    private static int PairIndex(char first, char second) => (char.ToLowerInvariant(first) * 128) + char.ToLowerInvariant(second);

    private static bool[] FirstPairs(IEnumerable<string> names)
    {
        var pairs = new bool[128 * 128];
        foreach (var name in names)
        {
            pairs[PairIndex(name[0], name[1])] = true;
        }

        return pairs;
    }

    // A word without its trailing version or build (DirBuster-1.0-RC1, commix/v3.9): up to the first '-' or '.'
    // that is followed by a digit or 'v'.
    private static ReadOnlySpan<char> Stem(ReadOnlySpan<char> word)
    {
        for (var i = 1; i < word.Length - 1; i++)
        {
            if ((word[i] == '-' || word[i] == '.') && (char.IsAsciiDigit(word[i + 1]) || word[i + 1] == 'v'))
            {
                return word[..i];
            }
        }

        return word;
    }
}
