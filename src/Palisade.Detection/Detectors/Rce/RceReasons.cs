namespace Palisade.Detection.Detectors.Rce;

/// <summary>The fixed reasons the command injection detector reports; none ever holds request data.</summary>
internal static class RceReasons
{
    public const string CommandAfterSeparator = "command after shell separator";
    public const string CommandSubstitution = "command substitution";
    public const string ObfuscatedCommand = "obfuscated command";
    public const string SensitiveFile = "command on a sensitive file";
    public const string InlineCode = "interpreter running inline code";
    public const string PowerShell = "PowerShell command";
    public const string Shellshock = "shellshock function definition";
    public const string ServerSideInclude = "server-side include exec";
    public const string ReverseShell = "reverse shell device";
    public const string IfsBlank = "IFS used as a blank";
    public const string WrappedCommand = "command run through a wrapper";
    public const string ForkBomb = "fork bomb";
    public const string ScriptWrite = "command writing a script file";
    public const string MailCommand = "mail protocol command after line break";
    public const string BatchControl = "Windows batch control statement";
    public const string CommandAlias = "shell alias defining a command";
    public const string EditorShellEscape = "editor running a shell command";
    public const string ShellExpansion = "bash expansion probe";
    public const string CommandLine = "value is a command line running a known program";
    public const string CommandFromVariables = "command assembled from shell variables";
}
