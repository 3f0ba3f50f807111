using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Palisade.Kubernetes.Manifests;

/// <summary>
/// What an untagged plain YAML scalar means, the way kubectl reads manifests (YAML 1.1 as in sigs.k8s.io/yaml):
/// <c>null</c> and <c>~</c>, booleans including <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c>, integers (with
/// <c>0x</c> hex and leading-zero octal, as in <c>defaultMode: 0644</c>), decimals; anything else is a string.
/// </summary>
public static class YamlScalars
{
    private static readonly SearchValues<char> NumberCharacters = SearchValues.Create("0123456789.eE+-");
    private static readonly string[] Nulls = ["", "~", "null", "Null", "NULL"];
    private static readonly string[] Trues = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"];
    private static readonly string[] Falses = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"];

    /// <summary>The JSON value of a plain scalar (null for YAML null).</summary>
    public static JsonNode? Resolve(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Nulls.Contains(text, StringComparer.Ordinal))
        {
            return null;
        }

        if (Trues.Contains(text, StringComparer.Ordinal))
        {
            return JsonValue.Create(true);
        }

        if (Falses.Contains(text, StringComparer.Ordinal))
        {
            return JsonValue.Create(false);
        }

        if (TryInteger(text, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (TryDecimal(text, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    /// <summary>Whether a string written plain would be read back as something else (and so must be quoted).</summary>
    public static bool NeedsQuotes(string text) => Resolve(text) is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String;

    private static bool TryInteger(string text, out long value)
    {
        value = 0;
        var body = text.AsSpan();
        var negative = false;
        if (body.Length > 1 && body[0] is '-' or '+')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        bool parsed;
        if (body.StartsWith("0x", StringComparison.Ordinal) && body.Length > 2)
        {
            parsed = long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else if (body.StartsWith("0o", StringComparison.Ordinal) && body.Length > 2)
        {
            parsed = TryOctal(body[2..], out value);
        }
        else if (body.Length > 1 && body[0] == '0')
        {
            parsed = TryOctal(body[1..], out value);
        }
        else
        {
            parsed = body.Length > 0 && body.IndexOfAnyExceptInRange('0', '9') < 0
                && long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (parsed && negative)
        {
            value = -value;
        }

        return parsed;
    }

    private static bool TryOctal(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.IndexOfAnyExceptInRange('0', '7') >= 0 || digits.Length > 20)
        {
            return false;
        }

        foreach (var digit in digits)
        {
            value = (value * 8) + (digit - '0');
        }

        return true;
    }

    private static bool TryDecimal(string text, out decimal value)
    {
        value = 0;
        var body = text.AsSpan();
        if (body.Length > 1 && body[0] is '-' or '+')
        {
            body = body[1..];
        }

        // Digits with one '.', and an optional exponent: "1.5", ".5", "1e3" (never "1,000", "1_0" or "Infinity").
        if (body.IsEmpty || !(char.IsAsciiDigit(body[0]) || (body[0] == '.' && body.Length > 1 && char.IsAsciiDigit(body[1]))))
        {
            return false;
        }

        if (body.IndexOfAnyExcept(NumberCharacters) >= 0)
        {
            return false;
        }

        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }
}
