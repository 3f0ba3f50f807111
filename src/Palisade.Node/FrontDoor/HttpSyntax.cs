using System.Buffers;

namespace Palisade.Node.FrontDoor;

/// <summary>The byte classes of RFC 9110/9112 the front door checks against.</summary>
internal static class HttpSyntax
{
    private static readonly SearchValues<byte> TcharValues = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static readonly bool[] Tchar = Table("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // reg-name / IP-literal / port characters of a Host value: unreserved, sub-delims, '%', ':', '[' and ']'.
    private static readonly bool[] HostChar = Table("-._~!$&'()*+,;=%:[]0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsTchar(byte b) => b < 128 && Tchar[b];

    public static bool IsHostChar(byte b) => b < 128 && HostChar[b];

    public static bool IsHex(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 5;

    public static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>A control character other than HTAB (CR and LF included), or DEL.</summary>
    public static bool IsControl(byte b) => (b < 0x20 && b != (byte)'\t') || b == 0x7F;

    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && value.IndexOfAnyExcept(TcharValues) < 0;

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && value[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return value[start..end];
    }

    /// <summary>ASCII case-insensitive equality with a lower-case literal.</summary>
    public static bool EqualsLower(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lower)
    {
        if (value.Length != lower.Length)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if ((uint)(b - 'A') <= 'Z' - 'A')
            {
                b |= 0x20;
            }

            if (b != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool[] Table(string chars)
    {
        var table = new bool[128];
        foreach (var c in chars)
        {
            table[c] = true;
        }

        return table;
    }
}
