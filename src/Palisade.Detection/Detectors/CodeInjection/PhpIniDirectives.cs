using System.Buffers;
using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// Finds a value that is a PHP configuration setting, <c>directive=value</c>: <c>allow_url_include=1</c>,
/// <c>auto_prepend_file=php://input</c>, <c>opcache.jit_max_polymorphic_calls=50</c>, also after php-cgi's
/// <c>-d</c> (CVE-2024-4577). A setting that reaches <c>ini_set</c>, a <c>.user.ini</c> or php-cgi's command line
/// turns on remote includes, prepends the request body as code or lifts the limits that keep a PHP process safe.
/// Only names that mean nothing but a PHP directive count: the namespaced ones (<c>opcache.</c>, <c>session.</c>,
/// <c>mbstring.</c>...) and the underscore-joined core directives; one-word directives (<c>engine</c>,
/// <c>precision</c>, <c>smtp</c>) are ordinary words.
/// </summary>
internal static class PhpIniDirectives
{
    private const int MaxName = 64;

    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_.");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Directives = new[]
    {
        "allow_url_include", "allow_url_fopen", "auto_prepend_file", "auto_append_file", "disable_functions",
        "disable_classes", "open_basedir", "include_path", "extension_dir", "sendmail_path", "error_log",
        "display_errors", "display_startup_errors", "log_errors", "memory_limit", "max_execution_time", "max_input_time",
        "max_input_vars", "post_max_size", "upload_max_filesize", "upload_tmp_dir", "file_uploads", "short_open_tag",
        "register_globals", "safe_mode", "magic_quotes_gpc", "unserialize_max_depth", "unserialize_callback_func",
        "html_errors", "expose_php", "enable_dl", "user_dir", "doc_root", "variables_order", "request_order",
        "output_handler", "output_buffering", "serialize_precision", "realpath_cache_size", "error_reporting",
        "auto_detect_line_endings", "default_socket_timeout", "user_ini.filename", "zend_extension",
    }.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Namespaces = new[]
    {
        "opcache", "mbstring", "session", "zend", "pcre", "phar", "xdebug", "apc", "assert", "cgi", "fastcgi",
        "mysqli", "pdo_mysql", "sqlite3", "openssl", "iconv", "intl", "soap", "user_ini", "url_rewriter", "zlib",
        "highlight", "curl", "ffi", "mail",
    }.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public static CodeFinding Judge(ReadOnlySpan<char> value)
    {
        var text = value.Trim();
        var offset = value.Length - value.TrimStart().Length;
        if (text.StartsWith("-d", StringComparison.Ordinal))
        {
            var rest = text[2..].TrimStart();
            offset += text.Length - rest.Length;
            text = rest;
        }

        var equals = text.IndexOf('=');
        if (equals <= 0 || equals > MaxName || text.Contains('\n'))
        {
            return default;
        }

        var name = text[..equals].TrimEnd(' ');
        var setting = text[(equals + 1)..].Trim(' ');
        if (setting.IsEmpty || name.IsEmpty || name.ContainsAnyExcept(NameCharacters) || !IsDirective(name))
        {
            return default;
        }

        return new CodeFinding("PHP configuration directive", offset, offset + text.Length, 70);
    }

    private static bool IsDirective(ReadOnlySpan<char> name)
    {
        if (Directives.Contains(name))
        {
            return true;
        }

        var dot = name.IndexOf('.');
        return dot > 0 && dot < name.Length - 1 && name[(dot + 1)..].IndexOf('.') < 0 && Namespaces.Contains(name[..dot]);
    }
}
