using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// The DBMS's own catalogs, system tables and schemas: what an injection reads to map a database and what
/// an application has no reason to receive from its users. Names are matched whole (as identifiers), never
/// as substrings.
/// </summary>
internal static class SqlSystemObjects
{
    // Whole names of system tables and views.
    private static readonly FrozenSet<string> Tables = new[]
    {
        "information_schema", "performance_schema", "pg_catalog", "pg_shadow", "pg_user", "pg_group",
        "pg_roles", "pg_authid", "pg_database", "pg_tables", "pg_class", "pg_namespace", "pg_proc",
        "pg_stat_activity", "sysobjects", "syscolumns", "sysusers", "sysdatabases", "sysservers", "syslogins",
        "sysprocesses", "sysxlogins", "syscomments", "systables", "sqlite_master", "sqlite_schema",
        "sqlite_temp_master", "all_tables", "all_tab_columns", "all_users", "all_objects", "all_views",
        "all_tab_tables", "user_tables", "user_tab_columns", "user_objects", "user_role_privs", "dba_users",
        "dba_tables", "dba_role_privs", "dba_tab_privs", "v$version", "v$instance", "v$database", "user$",
        "rdb$database", "rdb$fields", "rdb$relations", "rdb$types", "rdb$collations", "msysaccessobjects",
        "msysobjects", "msysqueries", "msysrelationships", "msysaces", "sysdummy1", "sysibm", "tempdb", "msdb",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Schemas whose members are all system objects (information_schema.tables, pg_catalog.pg_class).
    private static readonly FrozenSet<string> Schemas = new[]
    {
        "information_schema", "performance_schema", "pg_catalog", "sysibm", "syscat",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // MySQL's privilege and log tables: mysql.user, not mysql.log (a file name).
    private static readonly FrozenSet<string> MySqlTables = new[]
    {
        "user", "db", "tables_priv", "columns_priv", "procs_priv", "proc", "func", "general_log", "slow_log",
        "plugin", "servers", "innodb_table_stats",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // OLE DB providers SQL Server's OPENROWSET and OPENDATASOURCE open connections with.
    private static readonly FrozenSet<string> Providers = new[]
    {
        "msdasql", "sqloledb", "sqlncli", "sqlncli10", "sqlncli11", "msoledbsql", "microsoft.jet.oledb.4.0",
        "microsoft.ace.oledb.12.0", "microsoft.ace.oledb.16.0",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ProviderLookup =
        Providers.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> TableLookup =
        Tables.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SchemaLookup =
        Schemas.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> MySqlTableLookup =
        MySqlTables.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Every name these lookups know (some dotted: <c>microsoft.jet.oledb.4.0</c>), and the system databases.</summary>
    public static IEnumerable<string> Names => Tables.Concat(Schemas).Concat(MySqlTables).Concat(Providers).Concat(["mysql", "master", "msdb", "dbo", "sys"]);

    /// <summary>No system name (or dotted pair of them) is longer.</summary>
    public const int MaxNameLength = 40;

    /// <summary>True for the name of an OLE DB provider that OPENROWSET connects with (<c>MSDASQL</c>, <c>SQLOLEDB</c>).</summary>
    public static bool IsRemoteProvider(ReadOnlySpan<char> name) => name.Length <= 32 && ProviderLookup.Contains(name);

    /// <summary>True for a system table or view name, alone (<c>sysobjects</c>).</summary>
    public static bool IsSystemTable(ReadOnlySpan<char> name) => name.Length <= 32 && TableLookup.Contains(name);

    /// <summary>True when a qualified name's first part is a system schema (<c>information_schema</c> in <c>information_schema.tables</c>).</summary>
    public static bool IsSystemSchema(ReadOnlySpan<char> name) => name.Length <= 32 && SchemaLookup.Contains(name);

    /// <summary>
    /// True for a qualified name in a system database: <c>mysql.user</c>, and SQL Server's <c>master..x</c>,
    /// <c>master.dbo.x</c>, <c>msdb.dbo.x</c> (but not the file names <c>mysql.log</c> or <c>master.zip</c>).
    /// </summary>
    public static bool IsSystemQualifiedName(ReadOnlySpan<char> first, ReadOnlySpan<char> last, ReadOnlySpan<char> whole)
    {
        if (first.Equals("mysql", StringComparison.OrdinalIgnoreCase))
        {
            return last.Length <= 32 && MySqlTableLookup.Contains(last);
        }

        if (first.Equals("master", StringComparison.OrdinalIgnoreCase) || first.Equals("msdb", StringComparison.OrdinalIgnoreCase))
        {
            var rest = whole[first.Length..];
            return rest.StartsWith("..", StringComparison.Ordinal) || rest.StartsWith(".dbo.", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith(".sys.", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }
}
