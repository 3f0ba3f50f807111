namespace Palisade.Detection.Detectors.Sqli;

/// <summary>The strongest evidence found in one reading of a value, and the characters that show it.</summary>
internal readonly record struct SqlFinding(SqlEvidence Evidence, int Start, int End)
{
    public int Score => SqlEvidenceInfo.Score(Evidence);

    public SqlFinding Max(SqlFinding other) => other.Score > Score ? other : this;
}
