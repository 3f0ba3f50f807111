namespace Palisade.Detection.Verdicts;

/// <summary>What the node does with a request. Wire names: <c>pass</c>, <c>monitor</c>, <c>block</c>.</summary>
public enum VerdictAction
{
    /// <summary>Forward; nothing to record.</summary>
    Pass,

    /// <summary>Forward, and record the attack.</summary>
    Monitor,

    /// <summary>Answer with the block response; never forwarded.</summary>
    Block,
}
