using System.Globalization;

namespace Palisade.Node.Configuration;

/// <summary>Reads durations: <c>500ms</c>, <c>20s</c>, <c>2m</c>, <c>1h</c>, <c>7d</c>; a bare number is seconds.</summary>
public static class Duration
{
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        var split = 0;
        while (split < value.Length && (char.IsAsciiDigit(value[split]) || value[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !double.TryParse(value[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"'{text}' is not a duration: use a number with ms, s, m, h or d (20s)");
        }

        return value[split..].Trim() switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "" or "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            "h" => TimeSpan.FromHours(number),
            "d" => TimeSpan.FromDays(number),
            _ => throw new FormatException($"'{text}' is not a duration: use a number with ms, s, m, h or d (20s)"),
        };
    }

    public static string Format(TimeSpan value) =>
        value >= TimeSpan.FromDays(1) && value.Ticks % TimeSpan.TicksPerDay == 0
            ? $"{value.TotalDays.ToString(CultureInfo.InvariantCulture)}d"
            : value.TotalMilliseconds % 1000 != 0
            ? $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms"
            : $"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
