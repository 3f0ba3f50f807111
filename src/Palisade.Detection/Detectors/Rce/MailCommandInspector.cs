using System.Collections.Frozen;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Mail protocol command injection: a value that starts with a line break and then an SMTP, POP3 or IMAP
/// command (<c>\r\nRCPT TO:&lt;x&gt;</c>, <c>\r\nRETR 1</c>, <c>\r\na001 EXAMINE INBOX</c>), which a web mail
/// front end pasting the value into its session would send as a command of its own.
/// </summary>
internal static class MailCommandInspector
{
    private const int LongestTag = 8;

    private static readonly FrozenSet<string> Verbs = new[]
    {
        "helo", "ehlo", "mail", "rcpt", "data", "rset", "vrfy", "expn", "help", "noop", "quit", "auth", "starttls",
        "retr", "list", "user", "pass", "apop", "stat", "dele", "top", "uidl", "capa", "login", "logout", "select",
        "examine", "search", "fetch", "store", "uid", "copy", "create", "delete", "rename", "append", "status",
        "authenticate", "subscribe", "expunge",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Verbs.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool TryFind(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        if (value.Length < 4 || value[0] is not ('\r' or '\n'))
        {
            return false;
        }

        var line = value.TrimStart("\r\n");
        var end = line.IndexOfAny("\r\n");
        line = end < 0 ? line : line[..end];
        var first = Word(line);
        if (first.Length == 0)
        {
            return false;
        }

        var verb = first;
        var tagged = false;
        if (!Lookup.Contains(verb) && first.Length < line.Length && first.Length <= LongestTag && !first.ContainsAnyExceptInRange('0', 'z'))
        {
            // IMAP: a tag before the command.
            verb = Word(line[(first.Length + 1)..].TrimStart(' '));
            tagged = true;
        }

        if (verb.Length == 0 || !Lookup.Contains(verb))
        {
            return false;
        }

        // Most verbs are English words too ("List of items"): a command is tagged, written in capitals, or
        // followed by a number, a ':' or nothing.
        var rest = line[(line.IndexOf(verb) + verb.Length)..].TrimStart(' ');
        if (!tagged && verb.ContainsAnyInRange('a', 'z') && rest.Length > 0 && !char.IsAsciiDigit(rest[0]) && rest[0] != ':')
        {
            return false;
        }

        var start = value.Length - value.TrimStart("\r\n").Length;
        match = new DetectorMatch(RceReasons.MailCommand, 0, start + Math.Min(line.Length, 24), 80);
        return true;
    }

    // The letters and digits up to the first blank or ':', if the line goes on with one (or ends there).
    private static ReadOnlySpan<char> Word(ReadOnlySpan<char> line)
    {
        var i = 0;
        while (i < line.Length && char.IsAsciiLetterOrDigit(line[i]))
        {
            i++;
        }

        return i > 0 && (i == line.Length || line[i] is ' ' or ':') ? line[..i] : [];
    }
}
