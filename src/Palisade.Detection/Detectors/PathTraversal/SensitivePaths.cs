namespace Palisade.Detection.Detectors.PathTraversal;

/// <summary>
/// The files and directories a traversal or inclusion is after, matched on a resolved, lower-cased path that
/// starts with <c>/</c> (<c>/var/www/../../etc/passwd</c> is matched as <c>/etc/passwd</c>). A name matches whole
/// segments only: <c>/.env</c> does not match <c>/.envoy</c>.
/// </summary>
public static class SensitivePaths
{
    // Hidden names are short (.git, .env, .claude); a long dotted segment is a token.
    private const int MaxHiddenName = 32;

    private static readonly string[] Files =
    [
        "/etc/passwd", "/etc/shadow", "/etc/master.passwd", "/etc/group", "/etc/hosts", "/etc/sudoers", "/etc/issue",
        "/etc/crontab", "/etc/fstab", "/etc/hostname", "/etc/subuid", "/etc/apache2", "/etc/httpd", "/etc/nginx",
        "/etc/mysql", "/etc/php", "/etc/ssh", "/proc/self", "/proc/version", "/proc/cmdline", "/proc/mounts",
        "/proc/sched_debug", "/proc/net", "/proc/interrupts", "/sys/class", "/win.ini", "/boot.ini", "/system.ini",
        "/windows/system32", "/winnt/system32", "/windows/repair", "/system32/drivers", "/inetpub/wwwroot",
        "/web-inf", "/meta-inf", "/web.config", "/.htaccess", "/.htpasswd", "/.ssh", "/id_rsa", "/id_dsa",
        "/id_ecdsa", "/id_ed25519", "/authorized_keys", "/.bash_history", "/.zsh_history", "/.history",
        "/.mysql_history", "/.env", "/.git", "/.svn", "/.aws", "/.docker", "/.kube", "/wp-config.php", "/php.ini",
        "/httpd.conf", "/apache2.conf", "/nginx.conf", "/my.cnf", "/my.ini", "/tomcat-users.xml",
        "/applicationhost.config", "/config.inc.php", "/localsettings.php", "/settings.php", "/.npmrc",
        "/.netrc", "/desktop.ini", "/ntuser.dat", "/ntuser.ini", "/.shosts", "/.rhosts", "/wpsettings.dat", "/filezilla server.xml", "/sam", "/unattend.txt", "/unattend.xml", "/sysprep.inf", "/sysprep.xml", "/unattended.xml", "/metabase.xml", "/.pgpass", "/.git-credentials",
    ];

    // Every name starts with '/', so a match starts at a slash of the path: the names are grouped by the character
    // after their slash, and only the group of each segment's first character is compared.
    private static readonly string[][] FilesBySegmentStart = GroupBySegmentStart(Files);

    private static readonly string[] SystemDirectories =
    [
        "etc", "proc", "sys", "root", "boot", "dev", "var", "usr", "opt", "bin", "sbin", "lib", "lib64", "srv",
        "private", "applications", "library", "volumes", "windows", "winnt", "inetpub", "xampp", "wamp",
        "program files", "program files (x86)", "programfiles", "apache", "apache2", "apache group", "mysql", "php",
        "php4", "php5", "nginx", "tomcat", "home2", "log", "logs", "system volume information", "system32", "appserv",
    ];

    /// <summary>Whether the resolved <paramref name="path"/> reaches a sensitive file or directory.</summary>
    public static bool IsSensitive(ReadOnlySpan<char> path)
    {
        var from = 0;
        while (from < path.Length - 1)
        {
            var at = path[from..^1].IndexOf('/');
            if (at < 0)
            {
                return false;
            }

            from += at;
            var next = path[from + 1];
            if (next < FilesBySegmentStart.Length && EndsSegmentAt(path[from..], FilesBySegmentStart[next]))
            {
                return true;
            }

            from++;
        }

        return false;
    }

    /// <summary>Whether the first segment of the resolved <paramref name="path"/> is a system directory.</summary>
    public static bool IsSystemDirectory(ReadOnlySpan<char> path)
    {
        var first = path.Length > 1 ? path[1..] : default;
        var end = first.IndexOf('/');
        if (end < 0)
        {
            return false;
        }

        first = first[..end];
        foreach (var directory in SystemDirectories)
        {
            if (first.SequenceEqual(directory))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a request path names a hidden file or directory (a segment starting with a dot, other than
    /// <c>.well-known</c>) or a log file: things a web server should never serve.
    /// </summary>
    public static bool IsHiddenOrLog(ReadOnlySpan<char> path)
    {
        if (path.EndsWith(".log", StringComparison.Ordinal))
        {
            return true;
        }

        var from = 0;
        while (from < path.Length)
        {
            var at = path[from..].IndexOf("/.", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var segment = path[(from + at + 1)..];
            var end = segment.IndexOf('/');
            segment = end < 0 ? segment : segment[..end];
            if (segment.Length is > 1 and <= MaxHiddenName && segment[1] != '.' && !segment.SequenceEqual(".well-known"))
            {
                return true;
            }

            from += at + 2;
        }

        return false;
    }

    // Whether one of the names (several can start at the same slash: "/.git", "/.git-credentials") starts the text
    // and ends where a segment or an extension ends.
    private static bool EndsSegmentAt(ReadOnlySpan<char> text, string[] names)
    {
        foreach (var name in names)
        {
            if (text.StartsWith(name, StringComparison.Ordinal) && (text.Length == name.Length || text[name.Length] is '/' or '.' or '~'))
            {
                return true;
            }
        }

        return false;
    }

    private static string[][] GroupBySegmentStart(string[] names)
    {
        var groups = new string[128][];
        for (var c = 0; c < groups.Length; c++)
        {
            groups[c] = Array.FindAll(names, name => name[1] == c);
        }

        return groups;
    }
}
