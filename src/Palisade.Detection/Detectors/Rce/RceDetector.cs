using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Detects OS command injection: values that, pasted into a shell or <c>cmd</c> command line, end the
/// application's command and start the sender's. It tokenizes the value as a shell would and judges the command
/// positions a break-out opens, instead of spotting shell words.
/// </summary>
/// <remarks>
/// <para>In order, cheapest first:</para>
/// <list type="number">
/// <item>Pre-filter: a value without any character a rule needs (separators, substitutions, quotes, escapes,
/// globs, slashes, a blank or a dash) is clean. Words, numbers, UUIDs and tokens stop here.</item>
/// <item>Shapes that no benign value has: shellshock <c>() {</c>, SSI <c>&lt;!--#exec</c>, <c>/dev/tcp/</c>,
/// <c>$IFS</c> used as a blank, a value that is a bash expansion and nothing else (<see cref="ShellExpansions"/>).</item>
/// <item>SMTP, POP3 and IMAP commands after a leading line break (<see cref="MailCommandInspector"/>).</item>
/// <item>Windows batch control statements (<see cref="BatchInspector"/>).</item>
/// <item>The shell reading (<see cref="ShellInspector"/>): a break-out into a known program in any quoting context,
/// or a whole-value command line that only an attack writes; aliases and variables the value defines and then
/// runs (<see cref="AliasInspector"/>, <see cref="VariableInspector"/>).</item>
/// </list>
/// </remarks>
public sealed class RceDetector : IDetector
{
    private const string TriggersText = ";|&\n\r$`'\"\\?*/<({ -%~!";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggersText);

    private static readonly SearchValues<char> PairNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");

    // What any check besides shellshock, /dev/tcp, BatchInspector and ShellInspector.TryJudgeWholeCommand needs (see TryDetect).
    private const string BeyondProseText = ";|&\n\r$`\\<>=";

    private static readonly SearchValues<char> BeyondProse = SearchValues.Create(BeyondProseText);

    private static readonly CharacterMask BeyondProseMask = CharacterMask.Of(BeyondProseText);

    // A fork bomb needs '|' or '&', a server-side include '<', an $IFS blank '$'.
    private static readonly SearchValues<char> ShapeOperators = SearchValues.Create("|&<$");

    // The longest value read again with '+' as a blank (copied to the stack).
    private const int MaxPlusReading = 1024;

    public string Id => "rce.shell";

    public AttackType AttackType => AttackType.Rce;

    public string RequiredCharacters => TriggersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        var characters = origin.Characters;
        if (!characters.ContainsAny(value, TriggerMask, Triggers))
        {
            return false;
        }

        // Values with blanks, dashes and prose punctuation but none of these (names, addresses, sentences, dates,
        // paths) can only be shellshock, a /dev/tcp path, a batch statement or a command line as a whole: the other
        // shapes need one of "|&<$", a mail command a leading line break, a break-out one of the break-out
        // characters, the escaped line breaks a backslash, a name=value pair a '='. The same checks, in the same
        // order, minus the ones that cannot match.
        if (!characters.ContainsAny(value, BeyondProseMask, BeyondProse))
        {
            return (characters.Contains(value, '(') && TryFindShellshock(value, out match))
                || (characters.Contains(value, '/') && TryFindDevice(value, out match))
                || BatchInspector.TryFind(value, out match)
                || ShellInspector.TryJudgeWholeCommand(value, out match, !origin.IsFileContent)
                || ShellExpansions.TryFind(value, out match);
        }

        if (TryFindShapes(value, out match) || MailCommandInspector.TryFind(value, out match) || BatchInspector.TryFind(value, out match) || ShellInspector.TryFind(value, out match, !origin.IsFileContent)
            || (characters.Contains(value, '=') && (AliasInspector.TryFind(value, out match) || VariableInspector.TryFind(value, out match))))
        {
            return true;
        }

        if (ShellExpansions.TryFind(value, out match) || TryFindAfterEscapedLineBreaks(value, out match))
        {
            return true;
        }

        // Form encoding writes spaces as '+'; a value with '+' and no blank may be text nobody decoded (a JSON string
        // copied from a form, a raw body): ";+cat+/etc/passwd" is read again with '+' as a blank.
        if (value.Length <= MaxPlusReading && value.Contains('+') && value.IndexOfAny(' ', '\t') < 0)
        {
            Span<char> spaced = stackalloc char[value.Length];
            value.Replace(spaced, '+', ' ');
            if (TryDetect(spaced, origin with { Characters = default }, out match))
            {
                return true;
            }
        }

        // A raw body or header that is a name=value pair nobody split ("cmd=cu$@rl google.com"): judge the value.
        var pair = PairValueStart(value);
        if (pair > 0 && (BatchInspector.TryFind(value[pair..], out match) || ShellInspector.TryJudgeWholeCommand(value[pair..], out match) || AliasInspector.TryFind(value[pair..], out match)
            || VariableInspector.TryFind(value[pair..], out match)))
        {
            match = match with { Start = match.Start + pair };
            return true;
        }

        return false;
    }

    // "\nid\n", ";id\n": line breaks written as escapes, which an application that unescapes the value (JSON inside
    // JSON, YAML, printf-style formatting) turns into the newline a shell separates commands with. The value is read
    // again with \n and \r as line breaks; other backslashes stay ("C:\temp" is not an escape of anything here).
    private static bool TryFindAfterEscapedLineBreaks(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        if (value.IndexOf('\\') < 0 || (!value.Contains("\\n", StringComparison.Ordinal) && !value.Contains("\\r", StringComparison.Ordinal)) || value.Length > 4096)
        {
            return false;
        }

        Span<char> unescaped = stackalloc char[value.Length];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is 'n' or 'r')
            {
                unescaped[length++] = value[i + 1] == 'n' ? '\n' : '\r';
                i++;
                continue;
            }

            unescaped[length++] = value[i];
        }

        if (!ShellInspector.TryFind(unescaped[..length], out match))
        {
            return false;
        }

        match = match with { Start = 0, Length = value.Length };
        return true;
    }

    // "name=" at the start, with a name of letters, digits, '_', '-' and '.' up to 32 characters: where the value starts, or -1.
    private static int PairValueStart(ReadOnlySpan<char> value)
    {
        var head = value[..Math.Min(value.Length, 33)];
        var end = head.IndexOfAnyExcept(PairNameCharacters);
        return end > 0 && head[end] == '=' ? end + 1 : -1;
    }

    // The first /dev/tcp/ or /dev/udp/ (bash's network devices), or -1; one scan for "/dev/" rejects the rest.
    private static int DeviceIndex(ReadOnlySpan<char> value)
    {
        if (!value.Contains("/dev/", StringComparison.Ordinal))
        {
            return -1;
        }

        var device = value.IndexOf("/dev/tcp/", StringComparison.Ordinal);
        return device >= 0 ? device : value.IndexOf("/dev/udp/", StringComparison.Ordinal);
    }

    private static int IfsIndex(ReadOnlySpan<char> value)
    {
        var ifs = value.IndexOf("$IFS", StringComparison.Ordinal);
        return ifs >= 0 ? ifs : value.IndexOf("${IFS}", StringComparison.Ordinal);
    }

    private static bool TryFindShapes(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        if (TryFindShellshock(value, out match))
        {
            return true;
        }

        // Each shape below needs one of these characters; a value without any (most values) skips their scans.
        var operators = value.ContainsAny(ShapeOperators);
        var bomb = operators ? ForkBomb.IndexIn(value) : -1;
        if (bomb >= 0)
        {
            match = new DetectorMatch(RceReasons.ForkBomb, bomb, Math.Min(value.Length - bomb, 12), 90);
            return true;
        }

        var ssi = operators ? value.IndexOf("<!--#exec", StringComparison.OrdinalIgnoreCase) : -1;
        if (ssi >= 0)
        {
            match = new DetectorMatch(RceReasons.ServerSideInclude, ssi, 9, 95);
            return true;
        }

        if (TryFindDevice(value, out match))
        {
            return true;
        }

        var ifs = operators ? IfsIndex(value) : -1;
        if (ifs > 0 && value[ifs - 1] is not (' ' or '\t') && ShellWordReader.IfsLength(value, ifs) is var length and > 0)
        {
            match = new DetectorMatch(RceReasons.IfsBlank, ifs, length, 90);
            return true;
        }

        return false;
    }

    // () { :; }; ...: a function definition bash imported from the environment (shellshock).
    private static bool TryFindShellshock(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        var trimmed = value.TrimStart(" \t");
        if (!trimmed.StartsWith("()", StringComparison.Ordinal) || !trimmed[2..].TrimStart(" \t").StartsWith("{", StringComparison.Ordinal))
        {
            return false;
        }

        match = new DetectorMatch(RceReasons.Shellshock, value.Length - trimmed.Length, Math.Min(trimmed.Length, 8), 95);
        return true;
    }

    private static bool TryFindDevice(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        var device = DeviceIndex(value);
        if (device < 0)
        {
            return false;
        }

        match = new DetectorMatch(RceReasons.ReverseShell, device, 9, 95);
        return true;
    }
}
