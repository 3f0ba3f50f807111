namespace Palisade.Detection.Detectors.Rce;

/// <summary>How a command name must be used before a command position holding it counts as executing it.</summary>
internal enum ShellCommandKind
{
    /// <summary>Not a command the detector knows.</summary>
    Unknown,

    /// <summary>A command that means something alone (<c>id</c>, <c>whoami</c>, <c>ls</c>): it counts at the end of the value too.</summary>
    Bare,

    /// <summary>A command that is also an English word (<c>cat</c>, <c>type</c>, <c>sleep</c>): it needs an option, a path, a number or a quote after it.</summary>
    NeedsArgument,

    /// <summary>A command whose arguments are plain words (<c>netsh firewall</c>, <c>wmic process</c>).</summary>
    TakesWords,

    /// <summary>A shell or script interpreter (<c>bash</c>, <c>python</c>, <c>powershell</c>, <c>nc</c>).</summary>
    Interpreter,

    /// <summary>A PowerShell cmdlet or alias that downloads or runs code (<c>Invoke-Expression</c>, <c>iex</c>).</summary>
    Cmdlet,
}
