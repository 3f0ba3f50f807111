namespace Palisade.Commands;

/// <summary>Process exit codes shared by every verb.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>check</c>, no attack found.</summary>
    public const int Ok = 0;

    /// <summary><c>check</c> found an attack; <c>eval</c> missed a threshold.</summary>
    public const int Findings = 1;

    /// <summary>Bad usage, configuration or input: the message names what is wrong.</summary>
    public const int BadInput = 2;

    /// <summary>The verb could not run (e.g. the node cannot listen on its address).</summary>
    public const int Failure = 3;
}
