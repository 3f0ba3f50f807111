using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// The commands an injected command position is judged by: Unix and Windows programs an attacker runs to probe,
/// read, download or connect back, and the interpreters that run inline code. Lookups ignore case, take the
/// name without its directory and without <c>.exe</c>, and allocate nothing.
/// </summary>
internal static class ShellCommands
{
    private const int LongestName = 32;

    private static readonly FrozenDictionary<string, ShellCommandKind> ByName = Build();

    private static readonly FrozenDictionary<string, ShellCommandKind>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    // Program names that are also words or abbreviations in everyday text ("free shipping", "last name", "route 66",
    // "dig deeper"), and products people write about in prose ("mysql server is down", "ssh key rejected"): a value
    // starting with one is a command line only when an option or an absolute path follows.
    private static readonly FrozenSet<string> EveryDayNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "id", "dir", "ver", "groups", "w", "route", "last", "finger", "free", "ip", "ss", "cut", "tr", "nl", "rev", "od",
        "dd", "tee", "halt", "reboot", "su", "zip", "tar", "env", "mount", "umount", "df", "du", "dig", "arp", "ps", "wc",
        "uptime", "passwd", "strings", "shutdown", "ftp", "hostname", "sed", "awk", "grep", "lastlog",
        "reg", "sc", "service", "chef", "knife", "runas", "perf", "docker", "mysql", "psql", "rpm", "pico", "gem",
        "ssh", "telnet", "curl", "wget", "sudo", "ansible", "tmux", "openssl", "gpg", "gzip", "unzip", "yum",
        "apt-get", "dnf", "zypper", "nmap", "rsync", "scp", "sqlite3", "gcloud", "restic", "openvpn", "neofetch",
        "mosquitto", "valgrind", "tshark", "htop", "iptables", "crontab", "sysinfo");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> EveryDayNamesLookup =
        EveryDayNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly System.Buffers.SearchValues<char> VersionChars = System.Buffers.SearchValues.Create("0123456789.");

    private static readonly string[] BinaryDirectories = ["/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/", "/usr/local/bin/"];

    private static readonly string[] GlobbedBinaries =
    [
        "cat", "sh", "bash", "dash", "zsh", "ksh", "nc", "ncat", "netcat", "id", "ls", "whoami", "wget", "curl",
        "python", "python3", "perl", "ping", "uname", "ps", "echo", "head", "tail", "less", "more", "base64",
    ];

    private static readonly string[] SensitiveFiles =
    [
        "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts", "/etc/issue", "/etc/sudoers", "/proc/self/environ",
        "/proc/version", "/dev/tcp/", "/dev/udp/", "/root/", "/home/", "/var/log/", "win.ini", "boot.ini",
        "system32", "%systemroot%", "%windir%", "\\repair\\sam", "\\repair\\system", "c:\\windows", "c:\\users",
    ];

    /// <summary>The kind of the command called <paramref name="word"/>, a program name or a path to one.</summary>
    public static ShellCommandKind Classify(ReadOnlySpan<char> word)
    {
        // name=value is an assignment (or a query string), never a command name.
        if (word.Contains('='))
        {
            return ShellCommandKind.Unknown;
        }

        var name = BaseName(word);
        if (name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        if (name.Length == 0 || name.Length > LongestName)
        {
            return ShellCommandKind.Unknown;
        }

        if (Lookup.TryGetValue(name, out var kind))
        {
            // A path to an English-word command is as clear as a bare command: "/bin/cat", "c:\windows\...\type".
            return kind == ShellCommandKind.NeedsArgument && IsAbsolutePath(word) ? ShellCommandKind.Bare : kind;
        }

        return IsPythonOrPhpVersion(name) ? ShellCommandKind.Interpreter : ClassifyVersioned(name);
    }

    /// <summary>Whether a word with glob characters (<c>/???/??t</c>, <c>/bin/c?t</c>) names a known program's path.</summary>
    public static bool IsGlobbedBinary(ReadOnlySpan<char> pattern)
    {
        if (pattern.Length == 0 || pattern[0] != '/')
        {
            return false;
        }

        Span<char> path = stackalloc char[LongestName + 16];
        foreach (var directory in BinaryDirectories)
        {
            foreach (var binary in GlobbedBinaries)
            {
                directory.CopyTo(path);
                binary.CopyTo(path[directory.Length..]);
                if (Glob.Matches(pattern, path[..(directory.Length + binary.Length)]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether an argument names a file or device an attacker reads or connects through, also as a glob.</summary>
    public static bool IsSensitiveTarget(ReadOnlySpan<char> word, bool glob)
    {
        foreach (var file in SensitiveFiles)
        {
            if (word.Contains(file, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (!glob || word.Length == 0 || word[0] != '/')
        {
            return false;
        }

        foreach (var file in SensitiveFiles)
        {
            if (file[0] == '/' && Glob.Matches(word, file.TrimEnd('/')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether an interpreter's option makes it run the code that follows or talk to the network.</summary>
    public static bool IsInlineCodeOption(ReadOnlySpan<char> option) =>
        option.Equals("-c", StringComparison.Ordinal) || option.Equals("-e", StringComparison.Ordinal)
        || option.Equals("-i", StringComparison.Ordinal) || option.Equals("-r", StringComparison.Ordinal)
        || option.Equals("/c", StringComparison.OrdinalIgnoreCase) || option.Equals("/k", StringComparison.OrdinalIgnoreCase)
        || option.Equals("-enc", StringComparison.OrdinalIgnoreCase) || option.Equals("-encodedcommand", StringComparison.OrdinalIgnoreCase)
        || option.Equals("-command", StringComparison.OrdinalIgnoreCase) || option.Equals("-nop", StringComparison.OrdinalIgnoreCase)
        || option.Equals("-noprofile", StringComparison.OrdinalIgnoreCase) || option.Equals("-ec", StringComparison.OrdinalIgnoreCase)
        || option.Equals("-w", StringComparison.OrdinalIgnoreCase) || option.Equals("-windowstyle", StringComparison.OrdinalIgnoreCase)
        || option.Equals("-nlvp", StringComparison.Ordinal) || option.Equals("-lvp", StringComparison.Ordinal)
        || option.Equals("-lnvp", StringComparison.Ordinal);

    /// <summary>The sub-commands of Windows' <c>net</c> that follow it in an attack (<c>net user</c>, <c>net localgroup</c>).</summary>
    public static bool IsNetSubcommand(ReadOnlySpan<char> word) =>
        word.Equals("user", StringComparison.OrdinalIgnoreCase) || word.Equals("users", StringComparison.OrdinalIgnoreCase)
        || word.Equals("localgroup", StringComparison.OrdinalIgnoreCase) || word.Equals("view", StringComparison.OrdinalIgnoreCase)
        || word.Equals("share", StringComparison.OrdinalIgnoreCase) || word.Equals("use", StringComparison.OrdinalIgnoreCase)
        || word.Equals("session", StringComparison.OrdinalIgnoreCase) || word.Equals("accounts", StringComparison.OrdinalIgnoreCase)
        || word.Equals("group", StringComparison.OrdinalIgnoreCase) || word.Equals("start", StringComparison.OrdinalIgnoreCase)
        || word.Equals("stop", StringComparison.OrdinalIgnoreCase) || word.Equals("config", StringComparison.OrdinalIgnoreCase);

    /// <summary>Programs that run the command named after them: <c>nohup</c>, <c>time</c>, <c>strace</c>, <c>sudo</c>, <c>busybox</c>.</summary>
    public static bool IsWrapper(ReadOnlySpan<char> word) =>
        word.Equals("nohup", StringComparison.Ordinal) || word.Equals("time", StringComparison.Ordinal) || word.Equals("strace", StringComparison.Ordinal)
        || word.Equals("ltrace", StringComparison.Ordinal) || word.Equals("sudo", StringComparison.Ordinal)
        || word.Equals("doas", StringComparison.Ordinal) || word.Equals("busybox", StringComparison.Ordinal)
        || word.Equals("setsid", StringComparison.Ordinal) || word.Equals("xargs", StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="name"/> is a program whose name no prose uses (<c>kubectl</c>, <c>cscli</c>,
    /// <c>ansible-vault</c>, <c>python3.10</c>): a value that starts with it and goes on with arguments is a command
    /// line. Programs named by English words (<c>cut</c>, <c>free</c>, <c>chef</c>, <c>ruby</c>) and interpreters
    /// without a version (<c>python tutorial</c>) are not.
    /// </summary>
    public static bool IsDistinctiveProgram(ReadOnlySpan<char> name)
    {
        var kind = Classify(name);
        if (kind == ShellCommandKind.Interpreter)
        {
            return IsPythonOrPhpVersion(BaseName(name));
        }

        return kind is ShellCommandKind.Bare or ShellCommandKind.TakesWords && !EveryDayNamesLookup.Contains(BaseName(name));
    }

    /// <summary>Editors whose command line runs shell commands: <c>vim +silent\ !whoami</c>, <c>ex -c '!id'</c>.</summary>
    public static bool IsEditor(ReadOnlySpan<char> word) =>
        word.Equals("vi", StringComparison.Ordinal) || word.Equals("vim", StringComparison.Ordinal) || word.Equals("ex", StringComparison.Ordinal)
        || word.Equals("view", StringComparison.Ordinal) || word.Equals("nvim", StringComparison.Ordinal) || word.Equals("rvim", StringComparison.Ordinal)
        || word.Equals("vimdiff", StringComparison.Ordinal);

    /// <summary>Whether a redirection target is a file a web server runs (<c>cmd.php</c>, <c>shell.jsp</c>).</summary>
    public static bool IsScriptFile(ReadOnlySpan<char> word) =>
        word.EndsWith(".php", StringComparison.OrdinalIgnoreCase) || word.EndsWith(".phtml", StringComparison.OrdinalIgnoreCase)
        || word.EndsWith(".jsp", StringComparison.OrdinalIgnoreCase) || word.EndsWith(".jspx", StringComparison.OrdinalIgnoreCase)
        || word.EndsWith(".asp", StringComparison.OrdinalIgnoreCase) || word.EndsWith(".aspx", StringComparison.OrdinalIgnoreCase)
        || word.EndsWith(".cgi", StringComparison.OrdinalIgnoreCase);

    private static bool IsAbsolutePath(ReadOnlySpan<char> word) =>
        (word.Length > 1 && word[0] == '/' && word[1] != '/') || (word.Length > 3 && char.IsAsciiLetter(word[0]) && word[1] == ':' && word[2] == '\\');

    private static ReadOnlySpan<char> BaseName(ReadOnlySpan<char> word)
    {
        var slash = word.LastIndexOfAny('/', '\\');
        return slash < 0 ? word : word[(slash + 1)..];
    }

    // python2, python3.11, php7, php8.1: versioned interpreter names.
    // gcc7.4, clang14, lua5.3: a program installed under its version. The stem must be a program no text names
    // (ps4 and w3 are not ps and w).
    private static ShellCommandKind ClassifyVersioned(ReadOnlySpan<char> name)
    {
        var cut = name.LastIndexOfAnyExcept(VersionChars);
        var stem = name[..(cut + 1)];
        if (stem.Length < 3 || stem.Length == name.Length || !char.IsAsciiDigit(name[stem.Length]) || !Lookup.TryGetValue(stem, out var kind))
        {
            return ShellCommandKind.Unknown;
        }

        return kind is ShellCommandKind.Bare or ShellCommandKind.Interpreter && !EveryDayNamesLookup.Contains(stem) ? kind : ShellCommandKind.Unknown;
    }

    private static bool IsPythonOrPhpVersion(ReadOnlySpan<char> name)
    {
        var stem = name.StartsWith("python", StringComparison.OrdinalIgnoreCase) ? name[6..]
            : name.StartsWith("php", StringComparison.OrdinalIgnoreCase) ? name[3..]
            : name.StartsWith("perl", StringComparison.OrdinalIgnoreCase) ? name[4..]
            : [];
        return stem.Length > 0 && char.IsAsciiDigit(stem[0]) && !stem.ContainsAnyExcept(VersionChars);
    }

    private static FrozenDictionary<string, ShellCommandKind> Build()
    {
        var table = new Dictionary<string, ShellCommandKind>(StringComparer.OrdinalIgnoreCase);
        Add(table, ShellCommandKind.Bare,
            "id", "sysinfo", "whoami", "regedit", "bcdboot", "aptitude", "zstdcat", "unxz", "bsdtar", "iwmi", "uname", "ls", "pwd", "ifconfig", "ipconfig", "netstat", "systeminfo", "hostname", "ps",
            "dir", "ver", "tasklist", "getuid", "groups", "w", "lsof", "arp", "route", "printenv", "phpinfo",
            "visudo", "useradd", "userdel", "adduser", "passwd", "shutdown", "reboot", "halt", "crontab", "wget", "curl", "tftp", "ftp", "scp", "rsync", "nslookup", "traceroute", "tracert", "dig",
            "base64", "xxd", "strace", "ltrace", "gdb", "nmap", "masscan", "rmt-dump", "rmt", "htop", "uptime",
            "sudo", "su", "doas", "pkexec", "chroot", "nohup", "setsid", "xargs", "busybox", "ansible-pull",
            "ansible-console", "ansible-playbook", "chef-client", "tcpdump", "iptables", "mkfifo", "mknod",
            "wc", "grep", "egrep", "fgrep", "awk", "gawk", "sed", "tee", "od", "hexdump", "strings", "rev", "dd",
            "certutil", "bitsadmin", "mshta", "rundll32", "regsvr32", "cscript", "wscript", "msiexec", "whoami.exe",
            "attrib", "icacls", "cacls", "takeown", "vssadmin", "wevtutil", "net1", "nbtstat", "qwinsta", "quser",
            "getent", "lsb_release", "dmesg", "last", "lastlog", "finger", "killall", "pkill", "killall5",
            "env", "sysctl", "mount", "umount", "df", "du", "free", "nproc", "lscpu", "uname26", "openssl", "socat",
            "ssh", "telnet", "rlogin", "rsh", "ssh-keygen", "gpg", "zip", "unzip", "tar", "gzip", "gunzip", "bzip2",
            "ping6", "ifup", "ifdown", "ip", "iwconfig", "ss", "cut", "tr", "uniq", "nl", "tac", "base32", "xz");
        Add(table, ShellCommandKind.NeedsArgument,
            "cat", "net", "rm", "chmod", "chown", "type", "echo", "sleep", "ping", "time", "date", "set", "find", "sort", "more", "less", "head",
            "tail", "kill", "print", "start", "call", "copy", "move", "del", "erase", "touch", "which", "whereis",
            "file", "host", "whois", "who", "mail", "timeout", "test", "read", "exec", "eval", "source", "export",
            "alias", "unset", "printf", "watch", "nice", "cd", "mkdir", "rmdir", "cp", "mv", "ln", "ren", "rename",
            "tree", "top", "expr", "yes", "split", "join", "look", "write", "wall", "at", "diff", "cmp", "shred",
            "chdir", "pushd", "popd", "goto", "choice", "pause", "vi", "vim", "nano", "emacs", "man", "apropos",
            "fc", "history", "command", "builtin", "trap", "wait", "jobs", "fg", "bg", "disown", "ulimit", "umask");
        // Programs that give a shell, read or write files, or run commands given to them (GTFOBins): names that
        // mean nothing else, then names that are also words. (Everyday words that follow a '|' in telemetry,
        // "|Script error.", "|view", "|paste", are left out.)
        Add(table, ShellCommandKind.Bare,
            "flock", "cpulimit", "perf", "c89", "c99", "gcc", "g++", "clang", "chef-shell", "chef-vault", "chef-apply",
            "rmt-tar", "lastlogin", "bpftrace", "busctl", "capsh", "choom", "cobc", "cpio", "csplit", "csvtool",
            "dmidecode", "dmsetup", "dpkg", "dnf", "docker", "dosbox", "dvips", "easy_install", "exiftool", "facter",
            "gcore", "gcloud", "ghc", "ghci", "ginsh", "hping3", "iftop", "ionice", "jjs", "journalctl", "jtag",
            "kubectl", "ksshell", "ksu", "latexmk", "ldconfig", "lftp", "loginctl", "logsave", "lualatex", "luatex",
            "lwp-download", "lwp-request", "mawk", "mosquitto", "msfconsole", "msgattrib", "msgcat", "msgconv",
            "msgfilter", "msgmerge", "msguniq", "multitime", "mysql", "nasm", "nawk", "ncftp", "neofetch", "nft",
            "nroff", "nsenter", "openvpn", "openvt", "opkg", "pdflatex", "pdftex", "perlbug", "pexec", "pidstat",
            "psftp", "psql", "readelf", "restic", "rlwrap", "rpm", "rpmdb", "rpmquery", "rpmverify", "rtorrent",
            "run-mailcap", "run-parts", "runscript", "rview", "rvim", "scanmem", "scrot", "setarch", "setfacl",
            "setlock", "sftp", "smbclient", "softlimit", "sqlite3", "sqlmap", "ssh-agent", "ssh-keyscan", "sshpass",
            "start-stop-daemon", "stdbuf", "systemd-resolve", "taskset", "tasksh", "tdbtool", "timedatectl", "tmate",
            "tmux", "torify", "torsocks", "tshark", "unshare", "unsquashfs", "update-alternatives", "uudecode",
            "uuencode", "valgrind", "vigr", "vimdiff", "vipw", "virsh", "w3m", "whiptail", "xdg-user-dir", "xdotool",
            "xelatex", "xetex", "xmodmap", "apt-get", "aria2c", "basenc", "byebug", "cupsfilter", "debugfs",
            "genisoimage", "gtester", "slsh", "zsoelim", "fping", "shuf", "unexpand", "pico", "zypper", "yum", "ll", "pipx",
            "aa-disable", "aa-enforce", "aa-complain", "aa-exec", "ssh-copy-id", "uconv");
        Add(table, ShellCommandKind.NeedsArgument,
            "column", "fold", "comm", "bridge", "fmt", "ed", "ex", "cc", "pip", "npm", "gem", "cpan",
            "composer", "yarn", "apt", "terraform", "vagrant", "puppet", "pandoc", "octave", "julia", "jq",
            "iconv", "latex", "ispell", "certbot", "espeak", "mtr", "rake", "bundler");
        Add(table, ShellCommandKind.TakesWords,
            "netsh", "wmic", "reg", "schtasks", "sc", "pip3", "cscli", "systemctl", "service", "ansible", "ansible-config",
            "ansible-galaxy", "ansible-doc", "ansible-inventory", "ansible-vault", "chef", "chef-run", "knife",
            ".shell", ".system", ".sh", "powercfg", "bcdedit", "diskpart", "fsutil", "runas", "cmdkey", "klist", "dsquery", "nltest", "at.exe");
        Add(table, ShellCommandKind.Interpreter,
            "sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "fish", "ash", "python", "python2", "python3", "perl",
            "ruby", "php", "node", "nodejs", "lua", "tclsh", "expect", "powershell", "pwsh", "cmd", "command.com",
            "nc", "ncat", "netcat", "$shell", "${shell}", "java", "jrunscript", "osascript", "irb", "deno", "bun");
        Add(table, ShellCommandKind.Cmdlet,
            "iex", "invoke-expression", "invoke-webrequest", "invoke-restmethod", "invoke-command", "invoke-item",
            "start-process", "new-object", "start-bitstransfer", "get-content", "set-content", "add-content",
            "get-childitem", "get-process", "get-wmiobject", "get-ciminstance", "invoke-wmimethod", "out-file",
            "iwr", "irm", "downloadstring", "downloadfile", "set-executionpolicy", "add-mppreference",
            "set-mppreference", "remove-item", "copy-item", "get-itemproperty", "set-itemproperty", "get-acl",
            "new-psdrive", "get-localuser", "new-localuser", "add-localgroupmember");
        return table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static void Add(Dictionary<string, ShellCommandKind> table, ShellCommandKind kind, params string[] names)
    {
        foreach (var name in names)
        {
            table.TryAdd(name, kind);
        }
    }
}
