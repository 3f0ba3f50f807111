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

    // Schemas whose members are all system objects (mysql.user, sys.objects, master..sysdatabases).
    private static readonly FrozenSet<string> Schemas = new[]
    {
        "information_schema", "performance_schema", "pg_catalog", "mysql", "sysibm", "syscat", "master", "msdb",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> TableLookup =
        Tables.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> SchemaLookup =
        Schemas.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True for a system table or view name, alone (<c>sysobjects</c>).</summary>
    public static bool IsSystemTable(ReadOnlySpan<char> name) => name.Length <= 32 && TableLookup.Contains(name);

    /// <summary>True when a qualified name's first part is a system schema (<c>mysql</c> in <c>mysql.user</c>).</summary>
    public static bool IsSystemSchema(ReadOnlySpan<char> name) => name.Length <= 32 && SchemaLookup.Contains(name);
}
