using System.Buffers;
using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Scanner;

/// <summary>
/// Judges a raw request path as a probe for a file or endpoint no site serves on purpose: version-control and
/// tool dot-files (<c>/.git/config</c>, <c>/.env</c>, <c>/.bash_history</c>), backups and dumps
/// (<c>dump.sql.tgz</c>, <c>index.php.bak</c>, <c>~</c>), configuration variants (<c>config-prod.ini</c>),
/// kernel files (<c>/proc/version</c>), Spring Boot actuators, and a list of well-known sensitive names. The path
/// is read segment by segment with hash lookups; <c>/.well-known/</c>, <c>/favicon.ico</c>, <c>/robots.txt</c>
/// and the JSON configuration files single-page applications fetch stay benign.
/// </summary>
internal static class ProbePaths
{
    private const int MaxSegments = 64;

    private static readonly SearchValues<char> DotNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._-");

    // Dot-files and dot-directories spelled with capitals or longer than the generic rule admits.
    private static readonly FrozenSet<string> DotNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, ".DS_Store", ".Xauthority", ".ICEauthority", ".Trash");

    // File and directory names that are sensitive wherever they sit.
    private static readonly FrozenSet<string> SensitiveNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "phpinfo.php", "info.php", "php.ini", "win.ini", "desktop.ini", "thumbs.db", "web.config", "database.yml",
        "database.yaml", "sftp.json", "ftp-sync.json", "sftp-config.json", "phpcs.xml", "coverage.xml", "pytest.ini",
        "weblogic.xml", "local.xml", "parameters.php", "parameters.yml", "routing.yml", "security.yml", "aws.yml",
        "gitlab.rb", "fish_variables", "mysqldump.cnf", "mysql.cnf", "my.cnf", "server-status", "server-info",
        "wp-config.php", "defaults.inc.php", "sslvpn_websession", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
        "authorized_keys", "known_hosts", "credentials", "htpasswd", "passwd", "shadow", "miniconda3", "anaconda3",
        "nbproject", "wg-clients", "@fs", "@id", "elmah.axd", "trace.axd", "composer.lock", "composer.json",
        "gruntfile.js", "gulpfile.js", "bower.json", "packages.json", "docker-compose.yml", "dockerfile",
        "vagrantfile", "config.fish", "config.nu", "settings.py", "local_settings.py", "secrets.yml",
        "credentials.json", "accesstokens.json", "jolokia", "heapdump", "threaddump", "httptrace", "jmx-console",
        "web-console", "adminer.php", "phpmyadmin", "test.php", "shell.php", "backup.zip", "backup.tar.gz",
        "www.zip", "site.zip", "db.zip");

    // Project files that are harmless deep in a repository browser but a probe at the web root.
    private static readonly FrozenSet<string> RootProjectFiles = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "package.json", "package-lock.json", "yarn.lock", "go.mod", "go.sum", "gemfile", "gemfile.lock",
        "cargo.lock", "cargo.toml", "requirements.txt", "pipfile", "pipfile.lock", "makefile", "pom.xml",
        "build.gradle", "readme.md", "changelog.md", "license.txt", "install.php", "setup.php", "debug.php");

    // Spring Boot actuator endpoints, judged under /actuator/ or near the root.
    private static readonly FrozenSet<string> Actuators = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "env", "heapdump", "threaddump", "dump", "trace", "httptrace", "loggers", "beans", "mappings", "configprops",
        "autoconfig", "conditions", "caches", "scheduledtasks", "sessions", "auditevents", "jolokia", "liquibase",
        "flyway", "logfile", "shutdown", "integrationgraph", "metrics", "health", "info", "prometheus", "startup",
        "refresh", "restart", "features", "gateway");

    // Extensions of backups, editor leftovers, logs and dumps.
    private static readonly FrozenSet<string> BackupExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "bak", "old", "orig", "swp", "swo", "save", "sav", "backup", "bkp", "tmp", "log", "sql", "dump", "cnf",
        "ini", "env", "pem", "key", "kdbx", "sqlite", "sqlite3", "mdb");

    // Extensions a server-side configuration variant (config-prod.ini, config.sample.php) is written in.
    private static readonly FrozenSet<string> ConfigExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "php", "ini", "yml", "yaml", "py", "rb", "pl", "asp", "aspx", "xml", "toml", "txt", "inc", "cfg", "conf",
        "properties", "json", "js", "nu", "fish");

    private static readonly FrozenSet<string> ConfigVariants = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "sample", "prod", "production", "dev", "development", "test", "testing",
        "local", "stage", "staging", "old", "bak", "backup", "example", "dist", "default");

    private static readonly FrozenSet<string> ProcNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "self", "thread-self", "kcore", "asound", "zoneinfo", "meminfo", "sysvipc", "kpagecgroup", "kpagecount",
        "stat", "key-users", "scsi", "buddyinfo", "consoles", "vmallocinfo", "fs", "execdomains", "net", "crypto",
        "bus", "tty", "mounts", "filesystems", "version", "acpi", "devices", "partitions", "softirqs", "cmdline",
        "cpuinfo", "environ", "interrupts", "iomem", "ioports", "kallsyms", "loadavg", "modules", "swaps", "sys",
        "uptime", "vmstat", "diskstats", "keys", "locks", "misc", "mtrr", "pagetypeinfo", "slabinfo", "timer_list");

    private static readonly FrozenSet<string> SysNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "kernel", "power", "class", "devices", "fs", "module", "block", "bus", "firmware", "hypervisor", "dev");

    /// <summary>Where the probed segment starts in <paramref name="path"/>, and its length.</summary>
    public static bool TryFind(ReadOnlySpan<char> path, out int start, out int length)
    {
        start = 0;
        length = 0;
        var query = path.IndexOfAny('?', '#');
        if (query >= 0)
        {
            path = path[..query];
        }

        // Segment boundaries, so each rule can look at its neighbours; a path deeper than the cap is judged on its
        // first segments only.
        Span<Range> segments = stackalloc Range[MaxSegments];
        var count = 0;
        var i = 0;
        while (i < path.Length && count < MaxSegments)
        {
            if (path[i] == '/')
            {
                i++;
                continue;
            }

            var end = path[i..].IndexOf('/');
            var stop = end < 0 ? path.Length : i + end;
            segments[count++] = new Range(i, stop);
            i = stop;
        }

        var trailingSlash = path.Length > 0 && path[^1] == '/';
        for (var s = 0; s < count; s++)
        {
            var segment = path[segments[s]];
            var next = s + 1 < count ? path[segments[s + 1]] : default;
            var last = s == count - 1;
            if (IsProbe(segment, next, s, last, trailingSlash, path[segments[..count][0]]))
            {
                start = segments[s].Start.GetOffset(path.Length);
                length = segment.Length;
                return true;
            }
        }

        return false;
    }

    private static bool IsProbe(ReadOnlySpan<char> segment, ReadOnlySpan<char> next, int depth, bool last, bool trailingSlash, ReadOnlySpan<char> first)
    {
        var names = SensitiveNames.GetAlternateLookup<ReadOnlySpan<char>>();
        if (segment[0] == '.')
        {
            return IsDotName(segment);
        }

        if (segment[^1] == '~' || names.Contains(segment))
        {
            return true;
        }

        if (segment.Equals("proc", StringComparison.OrdinalIgnoreCase))
        {
            return (last && trailingSlash && depth <= 1) || (!next.IsEmpty && (ProcNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next) || IsNumber(next)));
        }

        if (segment.Equals("sys", StringComparison.OrdinalIgnoreCase))
        {
            return (last && trailingSlash && depth <= 1) || (!next.IsEmpty && SysNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next));
        }

        if (segment.Equals("actuator", StringComparison.OrdinalIgnoreCase))
        {
            return !next.IsEmpty && Actuators.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next);
        }

        if (!last)
        {
            return false;
        }

        // A bare actuator endpoint at the root or one directory down (/heapdump, /app/mappings).
        if (depth <= 1 && !trailingSlash && Actuators.GetAlternateLookup<ReadOnlySpan<char>>().Contains(segment)
            && (depth == 0 || !first.Equals("api", StringComparison.OrdinalIgnoreCase)))
        {
            return depth == 0 ? !IsCommonRootWord(segment) : true;
        }

        if (depth <= 1 && RootProjectFiles.GetAlternateLookup<ReadOnlySpan<char>>().Contains(segment))
        {
            return true;
        }

        return IsBackupOrConfig(segment);
    }

    // Endpoints that are also ordinary pages of many sites when they stand alone at the root.
    private static bool IsCommonRootWord(ReadOnlySpan<char> segment) =>
        segment.Equals("health", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("info", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("features", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("gateway", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("metrics", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("refresh", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("startup", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("restart", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("sessions", StringComparison.OrdinalIgnoreCase);

    // .git, .env, .bash_history, .DS_Store; not /.well-known/ nor a long random token after a dot.
    private static bool IsDotName(ReadOnlySpan<char> segment)
    {
        if (segment.Length == 1 || segment is ".." || segment.Equals(".well-known", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return DotNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(segment)
            || (segment.Length <= 32 && char.IsAsciiLetterLower(segment[1]) && segment[1..].IndexOfAnyExcept(DotNameChars) < 0);
    }

    // name.ext.bak, dump.sql.tgz, backup.sql.r04, error.log, config-prod.ini, config.sample.inc.php.
    private static bool IsBackupOrConfig(ReadOnlySpan<char> name)
    {
        var dot = name.IndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        var stem = name[..dot];
        var extensions = BackupExtensions.GetAlternateLookup<ReadOnlySpan<char>>();
        var rest = name[(dot + 1)..];
        var firstExtension = rest.IndexOf('.') is var d and >= 0 ? rest[..d] : rest;
        var lastExtension = name[(name.LastIndexOf('.') + 1)..];
        if (extensions.Contains(lastExtension) || firstExtension.Equals("sql", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var variant = stem.IndexOfAny('-', '_');
        var baseName = variant < 0 ? stem : stem[..variant];
        if (!baseName.Equals("config", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // config.php, config-dev.txt, config.sample.yml; not the config.json or config.js an application fetches.
        if (variant >= 0)
        {
            return ConfigVariants.GetAlternateLookup<ReadOnlySpan<char>>().Contains(stem[(variant + 1)..]);
        }

        if (rest.IndexOf('.') >= 0)
        {
            return ConfigVariants.GetAlternateLookup<ReadOnlySpan<char>>().Contains(firstExtension);
        }

        return ConfigExtensions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(rest)
            && !rest.Equals("json", StringComparison.OrdinalIgnoreCase) && !rest.Equals("js", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsNumber(ReadOnlySpan<char> s) => s.Length is > 0 and <= 7 && s.IndexOfAnyExceptInRange('0', '9') < 0;
}
