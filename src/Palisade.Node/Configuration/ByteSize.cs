using System.Globalization;

namespace Palisade.Node.Configuration;

/// <summary>Reads sizes: <c>1048576</c>, <c>512KiB</c>, <c>1MiB</c>, <c>2MB</c>, <c>64k</c>. Units are powers of 1024.</summary>
public static class ByteSize
{
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        var split = 0;
        while (split < value.Length && (char.IsAsciiDigit(value[split]) || value[split] == '.'))
        {
            split++;
        }

        var unit = value[split..].Trim().ToUpperInvariant();
        long multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => throw new FormatException($"'{text}' is not a size: use bytes or a unit such as 512KiB or 1MiB"),
        };

        if (!decimal.TryParse(value[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"'{text}' is not a size: use bytes or a unit such as 512KiB or 1MiB");
        }

        return checked((long)(number * multiplier));
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };
}
