using Palisade.Node.Configuration;

namespace Palisade.Node.Access;

/// <summary>The IP list entries a configuration holds: its <c>ip-lists</c> section and the <c>graylist</c> option.</summary>
public static class IpListEntries
{
    public static List<IpListEntry> FromOptions(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = new List<IpListEntry>(options.Graylist.Count + options.IpLists.Count);
        foreach (var network in options.Graylist)
        {
            entries.Add(new IpListEntry(network, IpListKind.Gray, "graylist option"));
        }

        entries.AddRange(options.IpLists);
        return entries;
    }
}
