namespace Palisade.Detection.Detectors.Sqli;

/// <summary>What calling a function tells about the intent of the SQL around it.</summary>
internal enum SqlFunctionKind
{
    /// <summary>Not a known SQL function (a user-defined function, or plain text followed by a parenthesis).</summary>
    Unknown,

    /// <summary>An ordinary built-in (<c>SUBSTRING</c>, <c>ASCII</c>, <c>CONCAT</c>, <c>COUNT</c>...): SQL, but harmless alone.</summary>
    Builtin,

    /// <summary>A built-in called without parentheses as well (<c>CURRENT_DATE</c>, <c>UTC_TIMESTAMP</c>).</summary>
    Niladic,

    /// <summary><c>CHAR</c>/<c>CHR</c>: chained with numeric codes they spell strings while hiding them.</summary>
    CharacterCode,

    /// <summary>Reveals the server (<c>VERSION()</c>, <c>DATABASE()</c>, <c>CURRENT_USER</c>, <c>SERVERPROPERTY</c>).</summary>
    Fingerprint,

    /// <summary>Like <see cref="Fingerprint"/>, but the name is an everyday word (<c>user</c>, <c>version</c>): only the empty call counts.</summary>
    FingerprintWithoutArguments,

    /// <summary>Forces a database error that carries data (<c>EXTRACTVALUE</c>, <c>UPDATEXML</c>, <c>GTID_SUBSET</c>).</summary>
    ErrorBased,

    /// <summary>Delays the response (<c>SLEEP</c>, <c>BENCHMARK</c>, <c>PG_SLEEP</c>, <c>RANDOMBLOB</c>).</summary>
    TimeDelay,

    /// <summary>Reads or writes server files (<c>LOAD_FILE</c>, <c>PG_READ_FILE</c>, <c>UTL_FILE</c>).</summary>
    FileAccess,

    /// <summary>Runs operating-system commands (<c>XP_CMDSHELL</c>, <c>SYS_EXEC</c>).</summary>
    CommandExecution,

    /// <summary>Makes the server contact another host (<c>UTL_HTTP.REQUEST</c>, <c>XP_DIRTREE</c>).</summary>
    OutOfBand,
}
