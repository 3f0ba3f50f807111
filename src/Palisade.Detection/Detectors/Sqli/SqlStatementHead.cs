namespace Palisade.Detection.Detectors.Sqli;

/// <summary>The kind of statement whose opening words the grammar recognised.</summary>
internal enum SqlStatementHead
{
    /// <summary>Not the start of a statement.</summary>
    Invalid,

    /// <summary>A SELECT, read in full.</summary>
    Select,

    /// <summary>Data or schema changes and other ordinary statements (<c>INSERT INTO t</c>, <c>DROP TABLE t</c>, <c>UPDATE t SET</c>, <c>GRANT</c>, <c>PRINT</c>).</summary>
    Ordinary,

    /// <summary>SQL Server batch syntax (<c>EXEC</c>, <c>DECLARE @x</c>, <c>WAITFOR</c>, <c>GOTO</c>, <c>BEGIN</c>, <c>IF</c>).</summary>
    TransactSql,

    /// <summary>Server-side file transfer (<c>LOAD DATA INFILE</c>, <c>COPY t FROM</c>, <c>BULK INSERT</c>, <c>BACKUP DATABASE</c>).</summary>
    FileTransfer,
}
