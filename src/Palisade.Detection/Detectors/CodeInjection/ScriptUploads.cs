using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// Judges the name of an uploaded file: a name whose extension a web server hands to an interpreter (<c>shell.php</c>,
/// <c>a.jsp</c>, <c>x.aspx</c>) plants code where the application stores uploads. Every dot-separated part after the
/// base name counts, trimmed, because servers that map handlers by any extension run <c>photo.php.jpg</c> and
/// <c>test. php5.gif</c> too; trailing dots and spaces, which Windows drops, are ignored (<c>a.jsp..</c>).
/// A file named like a PHP session file (<c>sess_</c> and a session id) is the other half of session poisoning:
/// stored where PHP keeps sessions, its content is unserialized as the session of whoever presents that id.
/// </summary>
internal static class ScriptUploads
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ServerScripts = new[]
    {
        "php", "phpt", "php2", "php3", "php4", "php5", "php6", "php7", "php8", "pht", "phtm", "phtml", "phar", "phps", "pgif",
        "jsp", "jspx", "jspf", "jsw", "jsv", "asp", "aspx", "asa", "asax", "ascx", "ashx", "asmx", "cer", "cfm",
        "cfml", "cgi", "shtml", "war",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly System.Buffers.SearchValues<char> SessionIdCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,-");

    public static CodeFinding Judge(ReadOnlySpan<char> fileName)
    {
        var slash = fileName.LastIndexOfAny('/', '\\');
        var name = fileName[(slash + 1)..].TrimEnd(". \t");
        var dot = name.IndexOf('.');
        if (dot < 0)
        {
            return IsSessionFile(name) ? new CodeFinding("upload named like a PHP session file", slash + 1, fileName.Length, 80) : default;
        }

        var offset = slash + 1 + dot;
        foreach (var range in name[(dot + 1)..].Split('.'))
        {
            var part = name[(dot + 1)..][range].Trim();
            if ((part.Length is > 1 and <= 6 && ServerScripts.Contains(part)) || IsVersionedPhp(part))
            {
                return new CodeFinding("upload of a server-side script", offset, fileName.Length, 80);
            }
        }

        return default;
    }

    // sess_ and a session id as PHP generates them (22 to 256 characters of [a-zA-Z0-9,-]; 16 is enough to tell an id
    // from a word).
    private static bool IsSessionFile(ReadOnlySpan<char> name) =>
        name.Length >= 5 + 16 && name.StartsWith("sess_", StringComparison.OrdinalIgnoreCase)
        && name[5..].IndexOfAnyExcept(SessionIdCharacters) < 0;

    // .php907: Apache's "php\d*" handler patterns run any number after "php".
    private static bool IsVersionedPhp(ReadOnlySpan<char> part) =>
        part.Length > 3 && part.StartsWith("php", StringComparison.OrdinalIgnoreCase) && part[3..].IndexOfAnyExceptInRange('0', '9') < 0;
}
