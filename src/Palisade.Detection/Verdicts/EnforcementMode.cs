namespace Palisade.Detection.Verdicts;

/// <summary>How the node acts on attacks. Wire names come from <see cref="EnforcementModeNames"/>.</summary>
public enum EnforcementMode
{
    /// <summary>No inspection at all: every request passes untouched.</summary>
    Off,

    /// <summary>Inspect and record attacks, never block.</summary>
    Monitoring,

    /// <summary>Block attacks only from sources on the graylist; record the rest.</summary>
    SafeBlocking,

    /// <summary>Block every attack.</summary>
    Block,
}
