using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// The names code injection reaches for: functions that run commands or code, load files or classes, and the
/// objects an attacker walks to reach them. A name alone is never enough: each is judged where it stands (called
/// with an argument, indexed, followed by a walk).
/// </summary>
internal static class CodeNames
{
    /// <summary>Functions that run a command, evaluate code or open a process, in PHP, Python, Ruby, Perl, Node.js and Java.</summary>
    public static readonly FrozenSet<string> Execution = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "system", "exec", "passthru", "shell_exec", "popen", "proc_open", "pcntl_exec", "assert", "eval",
        "create_function", "call_user_func", "call_user_func_array", "preg_replace", "phpinfo", "pfsockopen",
        "fsockopen", "file_get_contents", "file_put_contents", "fopen", "readfile", "show_source", "highlight_file",
        "base64_decode", "gzinflate", "str_rot13", "array_map", "usort", "ini_set", "putenv", "mail",
        "__import__", "compile", "execfile", "getoutput", "check_output", "check_call", "popen2", "popen3", "popen4",
        "spawn", "spawnsync", "execsync", "execfile", "execfilesync", "fork", "runinthiscontext", "runinnewcontext",
        "getruntime", "forname", "newinstance", "loadclass", "defineclass", "getmethod", "getdeclaredmethod",
        "registerundefinedfiltercallback", "getfilter", "syscall", "qx",
        "instance_eval", "class_eval", "module_eval", "send", "public_send", "getenv", "setattribute",
        "readallbytes", "getengine", "getenginebyname", "scriptenginemanager", "parseclass", "getbyname",
    ]);

    /// <summary>
    /// PHP functions payloads build, decode and probe with (<c>chr(123)</c>, <c>gzuncompress(...)</c>,
    /// <c>unserialize(...)</c>, <c>gethostbyname(...)</c>): called as a whole value in any case, PHP code (PHP's function
    /// names are case-insensitive, so <c>subSTR($x)</c> is the same call hidden from case-sensitive filters). English
    /// words (<c>file</c>, <c>copy</c>, <c>pack</c>) are left out.
    /// </summary>
    public static readonly FrozenSet<string> PhpFunctions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "chr", "ord", "crypt", "intval", "printf", "unserialize", "substr", "strrev", "unpack", "gethostbyname",
        "bzdecompress", "gzdecode", "gzuncompress", "gzinflate", "hex2bin", "urldecode", "rawurldecode", "scandir", "opendir", "readdir", "unlink", "rmdir", "chmod", "fwrite", "fputs",
        "fread", "fgets", "getcwd", "phpversion",
    ]);

    /// <summary>Execution names common enough in other code (Rust's <c>thread::spawn(move ...)</c>) that only a string, variable or nested call as argument counts.</summary>
    public static readonly FrozenSet<string> WeakExecution = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "spawn", "send", "public_send", "fork", "compile", "mail", "getenv", "assert", "array_map", "usort", "fopen",
        "readfile", "getmethod", "setattribute", "getbyname", "ini_set", "putenv", "exec", "eval",
    ]);

    /// <summary>Modules, classes and objects whose members run commands or load code.</summary>
    public static readonly FrozenSet<string> DangerousObjects = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "child_process", "processbuilder", "runtime", "subprocess", "kernel", "open3", "open4", "processimpl",
        "scriptengine", "scriptenginemanager", "classloader", "urlclassloader", "groovyclassloader", "mainmodule",
        "process.binding", "unixprocess", "method", "execute",
    ]);

    /// <summary>PHP superglobals, the request's own data, read back inside injected code.</summary>
    public static readonly FrozenSet<string> Superglobals = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "$_get", "$_post", "$_request", "$_cookie", "$_server", "$_files", "$_env", "$_session", "$globals",
        "$http_raw_post_data", "$http_get_vars", "$http_post_vars",
    ]);

    /// <summary>Dunder attributes a template or Python payload walks from any object to the interpreter's internals.</summary>
    public static readonly FrozenSet<string> ObjectWalks = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "__class__", "__mro__", "__base__", "__bases__", "__subclasses__", "__globals__", "__builtins__",
        "__import__", "__getattribute__", "__reduce__", "__loader__",
    ]);

    /// <summary>Django ORM lookups: a parameter named <c>field__lookup</c> turns a filter into an attacker's query.</summary>
    public static readonly FrozenSet<string> OrmLookups = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "gt", "gte", "lt", "lte", "startswith", "istartswith", "endswith", "iendswith", "contains", "icontains",
        "regex", "iregex", "isnull", "in", "exact", "iexact", "has_key", "has_keys", "has_any_keys",
        "contained_by", "range", "search", "overlap", "keys", "values",
    ]);

    /// <summary>Apache Commons Collections and JDK classes that Java deserialization gadget chains are built from.</summary>
    public static readonly FrozenSet<string> JavaGadgets = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "invokertransformer", "instantiatetransformer", "clonetransformer", "chainedtransformer", "constanttransformer",
        "forclosure", "whileclosure", "instantiatefactory", "prototypeclonefactory", "prototypeserializationfactory",
        "templatesimpl", "badattributevalueexpexception", "lazymap", "transformedmap", "annotationinvocationhandler",
    ]);

    /// <summary>Java packages a class walk or a gadget names.</summary>
    public static readonly FrozenSet<string> JavaPackages = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "lang", "io", "nio", "net", "rmi", "beans", "script", "security", "reflect", "naming", "management",
    ]);
}
