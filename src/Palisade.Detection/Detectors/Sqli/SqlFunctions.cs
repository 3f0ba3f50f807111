using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// Classifies function names (and, for Oracle packages, <c>package.function</c> names) by what calling
/// them reveals. Lookups are case-insensitive and allocation-free.
/// </summary>
internal static class SqlFunctions
{
    private static readonly FrozenDictionary<string, SqlFunctionKind> ByName = Build();

    private static readonly FrozenDictionary<string, SqlFunctionKind>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Every function's name (some dotted: <c>utl_http.request</c>).</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The kind of the function called <paramref name="name"/> (a plain or dotted name).</summary>
    public static SqlFunctionKind Classify(ReadOnlySpan<char> name)
    {
        if (name.Length <= 48 && Lookup.TryGetValue(name, out var kind))
        {
            return kind;
        }

        // SQL Server's extended stored procedures (xp_cmdshell, xp_regread...), also as master..xp_x.
        var last = name.LastIndexOf('.');
        var simple = last < 0 ? name : name[(last + 1)..];
        if (simple.Length > 3 && simple.StartsWith("xp_", StringComparison.OrdinalIgnoreCase))
        {
            return SqlFunctionKind.CommandExecution;
        }

        if (last >= 0 && simple.Length <= 48 && Lookup.TryGetValue(simple, out kind) && kind is not (SqlFunctionKind.Builtin or SqlFunctionKind.Niladic))
        {
            return kind;
        }

        return SqlFunctionKind.Unknown;
    }

    /// <summary>ASCII, ORD, UNICODE: a character's code.</summary>
    public static bool IsCodePoint(ReadOnlySpan<char> name) =>
        name.Equals("ascii", StringComparison.OrdinalIgnoreCase) || name.Equals("ord", StringComparison.OrdinalIgnoreCase)
        || name.Equals("unicode", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// PG_SLEEP, DBMS_LOCK.SLEEP: a delay function whose name is nothing but a database's (no word like SLEEP or
    /// BENCHMARK), so that naming it at all, called or not, means the delay.
    /// </summary>
    public static bool IsDelayProcedure(ReadOnlySpan<char> name) =>
        name.IndexOfAny('_', '.') > 0 && Classify(name) == SqlFunctionKind.TimeDelay;

    /// <summary>CURRENT_DATE, UTC_TIMESTAMP, LOCALTIME...: functions SQL calls without parentheses.</summary>
    public static bool IsNiladic(ReadOnlySpan<char> name) =>
        name.Length is >= 8 and <= 17 && Classify(name) == SqlFunctionKind.Niladic;

    /// <summary>SUBSTRING, SUBSTR, MID: part of a string.</summary>
    public static bool IsSubstring(ReadOnlySpan<char> name) =>
        name.Equals("substring", StringComparison.OrdinalIgnoreCase) || name.Equals("substr", StringComparison.OrdinalIgnoreCase)
        || name.Equals("mid", StringComparison.OrdinalIgnoreCase);

    private static FrozenDictionary<string, SqlFunctionKind> Build()
    {
        var table = new Dictionary<string, SqlFunctionKind>(StringComparer.OrdinalIgnoreCase);
        Add(table, SqlFunctionKind.Builtin,
            "abs", "acos", "aes_decrypt", "aes_encrypt", "array_agg", "array_to_json", "ascii", "asin", "atan",
            "avg", "bin", "bit_length", "cast", "ceil", "ceiling", "char_length", "character_length",
            "charindex", "coalesce", "compress", "concat", "concat_ws", "conv", "convert", "cos", "cot", "count",
            "crc32", "curdate", "date_format", "dateadd", "datediff", "dcount", "decode",
            "degrees", "elt", "encode", "exp", "export_set", "extract", "field", "find_in_set", "floor",
            "format", "from_base64", "getdate", "greatest", "group_concat", "hex", "if", "ifnull", "iif",
            "instr", "isnull", "json_agg", "json_extract", "json_keys", "last", "lcase", "least", "left", "len",
            "length", "like", "listagg", "ln", "locate", "log", "lower", "lpad", "ltrim", "make_set", "max",
            "md5", "mid", "min", "mod", "now", "nullif", "nvl", "oct", "ord", "pi", "position", "pow", "power",
            "quotename", "radians", "rand", "random", "regexp_substr", "repeat", "replace", "reverse", "right",
            "round", "row_to_json", "rpad", "rtrim", "sha", "sha1", "sha2", "sign", "sin", "soundex", "space",
            "sqrt", "strcmp", "string_agg", "substr", "substring", "substring_index", "sum", "sysdate", "tan",
            "to_base64", "to_char", "trim", "typeof", "ucase", "uncompress", "unhex", "unicode", "unistr",
            "upper", "utc_date", "xmlagg", "xmlelement", "zeroblob", "nchar", "date", "time", "datetime", "timestamp",
            "year", "month", "day", "hour", "minute", "second", "week", "quarter", "default", "json_extract_path",
            "json_build_object", "jsonb_pretty", "starts_with", "overlay", "insert", "values", "password", "old_password",
            "glob", "likelihood", "likely", "unlikely", "iif");
        Add(table, SqlFunctionKind.CharacterCode, "char", "chr");
        Add(table, SqlFunctionKind.Niladic,
            "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "utc_date", "utc_time",
            "utc_timestamp");
        Add(table, SqlFunctionKind.Fingerprint,
            "current_user", "session_user", "system_user", "current_database", "current_schema", "db_name",
            "suser_name", "suser_sname", "user_name", "host_name", "serverproperty", "current_setting",
            "sqlite_version", "sqlite_source_id", "sqlite_compileoption_used", "sqlite_compileoption_get",
            "connection_id", "is_srvrolemember", "has_dbaccess", "inet_server_addr",
            "pg_backend_pid");
        Add(table, SqlFunctionKind.FingerprintWithoutArguments, "user", "version", "database", "schema");
        Add(table, SqlFunctionKind.ErrorBased,
            "extractvalue", "updatexml", "xmltype", "name_const", "gtid_subset", "gtid_subtract",
            "st_latfromgeohash", "st_longfromgeohash", "st_pointfromgeohash", "geometrycollection", "multipoint",
            "multilinestring", "multipolygon", "linestring", "polygon", "ctxsys.drithsx.sn",
            "dbms_xdb_version.checkin", "dbms_utility.sqlid_to_sqlhash", "ordsys.ord_dicom.getmappingxpath",
            "utl_inaddr.get_host_name", "utl_inaddr.get_host_address");
        Add(table, SqlFunctionKind.TimeDelay,
            "sleep", "benchmark", "pg_sleep", "pg_sleep_for", "pg_sleep_until", "randomblob",
            "dbms_lock.sleep", "dbms_session.sleep", "dbms_pipe.receive_message");
        Add(table, SqlFunctionKind.FileAccess,
            "load_file", "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "lo_import", "lo_export",
            "utl_file.fopen", "utl_file.get_line", "utl_file.put_line", "openrowset", "opendatasource",
            "filetoclob", "filetoblob", "load_extension", "dbms_xslprocessor.read2clob", "lo_get", "lo_from_bytea",
            "pg_stat_file");
        Add(table, SqlFunctionKind.CommandExecution,
            "sys_exec", "sys_eval", "sp_oacreate", "sp_oamethod", "sp_execute_external_script", "sp_makewebtask",
            "sp_addlogin", "sp_addsrvrolemember", "sp_password", "sp_configure", "sp_addextendedproc", "sp_executesql",
            "dbms_java.runjava", "dbms_scheduler.create_job");
        Add(table, SqlFunctionKind.OutOfBand,
            "utl_http.request", "utl_http", "utl_inaddr", "utl_tcp", "httpuritype", "dbms_ldap.init", "dblink_connect",
            "utl_tcp.open_connection");
        return table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static void Add(Dictionary<string, SqlFunctionKind> table, SqlFunctionKind kind, params string[] names)
    {
        foreach (var name in names)
        {
            table[name] = kind;
        }
    }
}
