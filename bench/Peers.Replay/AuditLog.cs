using System.Globalization;

namespace Peers.Replay;

/// <summary>
/// Reads ModSecurity's serial (native) audit log: for every logged transaction, the replay id from the request
/// headers (part B) and the ids of the rules that matched (part H, <c>[id "942100"]</c>).
/// </summary>
public static class AuditLog
{
    /// <summary>Replay sequence number -> ids of the rules that matched for it.</summary>
    public static Dictionary<int, HashSet<string>> Read(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var result = new Dictionary<int, HashSet<string>>();
        var section = ' ';
        var sequence = -1;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var prefix = RawRequest.ReplayIdHeader + ":";
        foreach (var line in lines)
        {
            // Section boundaries look like "---Xy1zAbCd---B--".
            if (line.Length >= 8 && line.StartsWith("---", StringComparison.Ordinal) && line.EndsWith("--", StringComparison.Ordinal) &&
                line[^3] is >= 'A' and <= 'Z' && line[^4] == '-')
            {
                section = line[^3];
                if (section == 'Z')
                {
                    if (sequence >= 0)
                    {
                        if (!result.TryGetValue(sequence, out var set))
                        {
                            result[sequence] = set = new HashSet<string>(StringComparer.Ordinal);
                        }

                        set.UnionWith(ids);
                    }

                    sequence = -1;
                    ids.Clear();
                }

                continue;
            }

            if (section == 'B' && line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) &&
                int.TryParse(line.AsSpan(prefix.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                sequence = value;
            }
            else if (section == 'H')
            {
                CollectIds(line, ids);
            }
        }

        return result;
    }

    private static void CollectIds(string line, HashSet<string> ids)
    {
        const string Marker = "[id \"";
        var at = 0;
        while ((at = line.IndexOf(Marker, at, StringComparison.Ordinal)) >= 0)
        {
            at += Marker.Length;
            var end = line.IndexOf('"', at);
            if (end < 0)
            {
                return;
            }

            ids.Add(line[at..end]);
            at = end;
        }
    }
}
