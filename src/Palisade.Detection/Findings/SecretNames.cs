using System.Collections.Frozen;

namespace Palisade.Detection.Findings;

/// <summary>
/// Decides whether a header, cookie or field name holds a secret (credentials, tokens, session ids), so that
/// nothing of its value leaves the node unmasked. Names are split into words (<c>userPassword</c>,
/// <c>api_key</c>, <c>X-Auth-Token</c>) and the words are matched, so <c>spinner</c> is not a PIN.
/// </summary>
public static class SecretNames
{
    private static readonly FrozenSet<string> SecretHeaders = new[]
    {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token",
        "x-csrf-token", "x-xsrf-token", "x-amz-security-token", "x-goog-iam-authorization-token",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> SecretWords = new[]
    {
        "password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "auth", "authorization",
        "authentication", "credential", "credentials", "session", "sessionid", "sid", "jwt", "bearer",
        "apikey", "otp", "pin", "cvv", "cvc", "ssn", "signature", "csrf", "xsrf", "privatekey", "cookie",
        "jsessionid", "phpsessid",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a header with this name carries credentials.</summary>
    public static bool IsSecretHeader(string name) =>
        SecretHeaders.Contains(name) || IsSecretKey(name);

    /// <summary>True when a parameter, cookie or JSON field with this name looks like it holds a secret.</summary>
    public static bool IsSecretKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<char> word = stackalloc char[32];
        var length = 0;
        var previous = '\0';
        var previousWord = "";
        foreach (var c in name)
        {
            var boundary = !char.IsAsciiLetterOrDigit(c) || (char.IsAsciiLetterUpper(c) && char.IsAsciiLetterLower(previous));
            if (boundary && length > 0)
            {
                if (IsSecretWord(word[..length], ref previousWord))
                {
                    return true;
                }

                length = 0;
            }

            if (char.IsAsciiLetterOrDigit(c) && length < word.Length)
            {
                word[length++] = char.ToLowerInvariant(c);
            }

            previous = c;
        }

        return length > 0 && IsSecretWord(word[..length], ref previousWord);
    }

    private static bool IsSecretWord(ReadOnlySpan<char> word, ref string previousWord)
    {
        var lookup = SecretWords.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.Contains(word))
        {
            return true;
        }

        // "api key", "private key", "access key" spread over two words.
        if (word.SequenceEqual("key") && previousWord is "api" or "private" or "access" or "secret")
        {
            return true;
        }

        previousWord = word.Length <= 8 ? word.ToString() : "";
        return false;
    }
}
