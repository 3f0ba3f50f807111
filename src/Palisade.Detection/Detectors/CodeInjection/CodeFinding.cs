namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>What a code scan found: a fixed reason, the evidence span and a confidence.</summary>
internal readonly record struct CodeFinding(string Reason, int Start, int End, int Score)
{
    public bool Found => Score > 0;

    public CodeFinding Max(CodeFinding other) => other.Score > Score ? other : this;
}
