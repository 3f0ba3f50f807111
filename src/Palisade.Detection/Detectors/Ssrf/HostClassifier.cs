using System.Buffers.Binary;

namespace Palisade.Detection.Detectors.Ssrf;

/// <summary>
/// Reads a URL host the way the many URL parsers a server may use read it, and says what it reaches. IPv4 is
/// parsed as <c>inet_aton</c> does (one to four parts, each decimal, octal with a leading 0 or hex with 0x,
/// the last part filling the remaining bytes), overflowing parts are cut to a byte as lenient parsers cut them,
/// IPv6 literals are parsed in full (with embedded IPv4), and look-alike characters (circled and full-width
/// digits and letters, ideographic full stops) are folded to ASCII first. Names are matched against loopback
/// aliases, metadata services, internal suffixes, and wildcard DNS services that echo an address (nip.io).
/// </summary>
public static class HostClassifier
{
    private const int MaxHostChars = 255;

    private static readonly string[] LoopbackNames =
    [
        "localhost", "localhost.localdomain", "localhost4", "localhost4.localdomain4", "localhost6",
        "localhost6.localdomain6", "ip6-localhost", "ip6-loopback", "ipv6-localhost", "ipv6-loopback",
        "localtest.me", "lvh.me", "vcap.me", "lacolhost.com",
    ];

    private static readonly string[] LoopbackSuffixes = [".localhost", ".localtest.me", ".lvh.me", ".vcap.me"];

    private static readonly string[] MetadataNames =
    [
        "metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal", "rancher-metadata",
        "metadata.packet.net", "metadata.platformequinix.com", "metadata.azure.internal",
    ];

    private static readonly string[] PrivateSuffixes = [".internal", ".cluster.local", ".svc"];

    private static readonly string[] EchoSuffixes = [".nip.io", ".xip.io", ".sslip.io", ".nip.direct", ".traefik.me"];

    /// <summary>What <paramref name="host"/> (without scheme and userinfo; a port is allowed) reaches.</summary>
    public static HostInfo Classify(ReadOnlySpan<char> host) => Classify(host, out _);

    /// <summary>What <paramref name="host"/> reaches; <paramref name="port"/> is the explicit port or -1.</summary>
    public static HostInfo Classify(ReadOnlySpan<char> host, out int port)
    {
        port = -1;
        if (host.IsEmpty || host.Length > MaxHostChars)
        {
            return default;
        }

        // Folding writes at most two characters for one (circled numbers 10 to 20).
        Span<char> buffer = stackalloc char[host.Length * 2];
        var length = Fold(host, buffer, out var folded);
        var text = buffer[..length];
        if (text.Length > 0 && text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return default;
            }

            port = ParsePort(text[(close + 1)..]);
            return ClassifyIpv6(text[1..close], folded);
        }

        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            if (text[..colon].Contains(':'))
            {
                // Unbracketed IPv6, as lenient parsers accept it.
                return ClassifyIpv6(text, folded);
            }

            port = ParsePort(text[colon..]);
            text = text[..colon];
        }

        text = text.TrimEnd('.');
        if (text.IsEmpty)
        {
            return default;
        }

        if (TryParseIpv4(text, out var address, out var odd))
        {
            return new HostInfo(ClassifyIpv4(address), true, odd || folded);
        }

        return new HostInfo(ClassifyName(text), false, false);
    }

    /// <summary>The kind of an IPv4 address given in host byte order.</summary>
    public static HostKind ClassifyIpv4(uint address)
    {
        var a = address >> 24;
        var b = (address >> 16) & 0xFF;
        return a switch
        {
            127 => HostKind.Loopback,
            0 => HostKind.Unspecified,
            10 => HostKind.Private,
            172 when b is >= 16 and <= 31 => HostKind.Private,
            192 when b == 168 => HostKind.Private,
            192 when b == 0 && ((address >> 8) & 0xFF) == 0 => address == 0xC00000C0 ? HostKind.Metadata : HostKind.Private,
            100 when address == 0x646464C8 => HostKind.Metadata,
            100 when b is >= 64 and <= 127 => HostKind.Private,
            169 when b == 254 => address is 0xA9FEA9FE or 0xA9FEAA02 ? HostKind.Metadata : HostKind.LinkLocal,
            _ => HostKind.Public,
        };
    }

    /// <summary>
    /// Parses an IPv4 host as <c>inet_aton</c> and lenient URL parsers do. <paramref name="odd"/> tells whether the
    /// notation was anything but four plain decimal bytes.
    /// </summary>
    public static bool TryParseIpv4(ReadOnlySpan<char> text, out uint address, out bool odd)
    {
        address = 0;
        odd = false;
        Span<ulong> parts = stackalloc ulong[4];
        var count = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                continue;
            }

            if (count == 4 || !TryParsePart(text[start..i], out parts[count], out var partOdd))
            {
                return false;
            }

            odd |= partOdd;
            count++;
            start = i + 1;
        }

        if (count != 4)
        {
            odd = true;
        }

        for (var i = 0; i < count - 1; i++)
        {
            if (parts[i] > 0xFF)
            {
                odd = true;
            }

            address |= (uint)(parts[i] & 0xFF) << (24 - (8 * i));
        }

        var last = parts[count - 1];
        var lastBits = 8 * (5 - count);
        var mask = lastBits >= 32 ? 0xFFFFFFFFUL : (1UL << lastBits) - 1;
        if (last > mask)
        {
            odd = true;
        }

        address |= (uint)(last & mask);
        return true;
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, out ulong value, out bool odd)
    {
        value = 0;
        odd = false;
        if (part.IsEmpty || part.Length > 24)
        {
            return false;
        }

        var radix = 10;
        if (part.Length > 1 && part[0] == '0' && (part[1] == 'x'))
        {
            radix = 16;
            part = part[2..];
        }
        else if (part.Length > 1 && part[0] == '0' && part[1] == 'o')
        {
            radix = 8;
            part = part[2..];
        }
        else if (part.Length > 1 && part[0] is 'o' or 'q')
        {
            radix = 8;
            part = part[1..];
        }
        else if (part.Length > 1 && part[0] == '0')
        {
            radix = 8;
        }

        odd = radix != 10;
        foreach (var c in part)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }

            value = unchecked((value * (ulong)radix) + (ulong)digit);
        }

        return radix == 16 || part.Length > 0;
    }

    private static HostKind ClassifyName(ReadOnlySpan<char> name)
    {
        foreach (var loopback in LoopbackNames)
        {
            if (name.SequenceEqual(loopback))
            {
                return HostKind.Loopback;
            }
        }

        foreach (var metadata in MetadataNames)
        {
            if (name.SequenceEqual(metadata))
            {
                return HostKind.Metadata;
            }
        }

        foreach (var suffix in LoopbackSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return HostKind.Loopback;
            }
        }

        foreach (var suffix in PrivateSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return HostKind.Private;
            }
        }

        if (name.StartsWith("kubernetes.default", StringComparison.Ordinal))
        {
            return HostKind.Private;
        }

        foreach (var suffix in EchoSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return ClassifyEchoed(name[..^suffix.Length]);
            }
        }

        return HostKind.Public;
    }

    // "169.254.169.254.nip.io", "app.127.0.0.1.nip.io", "127-0-0-1.nip.io": the address the service answers with.
    private static HostKind ClassifyEchoed(ReadOnlySpan<char> labels)
    {
        var dots = 0;
        var start = labels.Length;
        while (start > 0)
        {
            if (labels[start - 1] == '.' && ++dots == 4)
            {
                break;
            }

            start--;
        }

        var dotted = labels[start..];
        if (TryParseIpv4(dotted, out var address, out _) && dots >= 3)
        {
            return ClassifyIpv4(address);
        }

        var lastLabel = labels[(labels.LastIndexOf('.') + 1)..];
        Span<char> undashed = stackalloc char[Math.Min(lastLabel.Length, 64)];
        if (lastLabel.Length <= 64 && lastLabel.Count('-') == 3)
        {
            lastLabel.CopyTo(undashed);
            undashed.Replace('-', '.');
            if (TryParseIpv4(undashed, out address, out _))
            {
                return ClassifyIpv4(address);
            }
        }

        return HostKind.Public;
    }

    private static HostInfo ClassifyIpv6(ReadOnlySpan<char> text, bool folded)
    {
        var zone = text.IndexOf('%');
        if (zone >= 0)
        {
            text = text[..zone];
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!TryParseIpv6(text, bytes))
        {
            return default;
        }

        var high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        if (high == 0 && low == 0)
        {
            return new HostInfo(HostKind.Unspecified, true, folded);
        }

        if (high == 0 && low == 1)
        {
            return new HostInfo(HostKind.Loopback, true, folded || text.Length > 3);
        }

        if (high == 0 && (low >> 32 == 0xFFFF || low >> 32 == 0))
        {
            // IPv4-mapped and IPv4-compatible forms: the address inside decides.
            return new HostInfo(ClassifyIpv4((uint)low), true, true);
        }

        if (bytes[0] == 0xFD && bytes[1] == 0x00 && bytes[2] == 0x0E && bytes[3] == 0xC2)
        {
            return new HostInfo(HostKind.Metadata, true, folded);
        }

        if ((bytes[0] & 0xFE) == 0xFC)
        {
            return new HostInfo(HostKind.Private, true, folded);
        }

        if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)
        {
            return new HostInfo(HostKind.LinkLocal, true, folded);
        }

        return new HostInfo(HostKind.Public, true, folded);
    }

    private static bool TryParseIpv6(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        Span<ushort> head = stackalloc ushort[8];
        Span<ushort> tail = stackalloc ushort[8];
        var headCount = 0;
        var tailCount = 0;
        var compressed = false;
        var i = 0;
        if (text.StartsWith("::"))
        {
            compressed = true;
            i = 2;
        }

        while (i < text.Length)
        {
            var end = text[i..].IndexOf(':');
            var group = end < 0 ? text[i..] : text[i..(i + end)];
            if (group.IsEmpty)
            {
                if (compressed || i + 1 > text.Length)
                {
                    return false;
                }

                compressed = true;
                i++;
                continue;
            }

            if (group.Contains('.'))
            {
                // Trailing IPv4 part: two groups.
                if (end >= 0 || !TryParseIpv4(group, out var v4, out _))
                {
                    return false;
                }

                if (!Add(compressed ? tail : head, ref compressed ? ref tailCount : ref headCount, (ushort)(v4 >> 16))
                    || !Add(compressed ? tail : head, ref compressed ? ref tailCount : ref headCount, (ushort)v4))
                {
                    return false;
                }

                break;
            }

            if (group.Length > 4 || !ushort.TryParse(group, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            if (!Add(compressed ? tail : head, ref compressed ? ref tailCount : ref headCount, value))
            {
                return false;
            }

            if (end < 0)
            {
                break;
            }

            i += end + 1;
            if (i < text.Length && text[i] == ':')
            {
                if (compressed)
                {
                    return false;
                }

                compressed = true;
                i++;
            }
        }

        if (headCount + tailCount > 8 || (!compressed && headCount != 8))
        {
            return false;
        }

        bytes.Clear();
        for (var g = 0; g < headCount; g++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * g)..], head[g]);
        }

        for (var g = 0; g < tailCount; g++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * (8 - tailCount + g))..], tail[g]);
        }

        return true;
    }

    private static bool Add(Span<ushort> groups, ref int count, ushort value)
    {
        if (count == groups.Length)
        {
            return false;
        }

        groups[count++] = value;
        return true;
    }

    private static int ParsePort(ReadOnlySpan<char> text)
    {
        if (text.Length < 2 || text[0] != ':' || text.Length > 6)
        {
            return -1;
        }

        var port = 0;
        foreach (var c in text[1..])
        {
            if (c is < '0' or > '9')
            {
                return -1;
            }

            port = (port * 10) + (c - '0');
        }

        return port;
    }

    // Lower-cases ASCII, drops backslashes (\l\o\c\a\l\h\o\s\t), and folds look-alikes: circled and full-width
    // digits and letters, ideographic and full-width full stops.
    private static int Fold(ReadOnlySpan<char> host, Span<char> buffer, out bool folded)
    {
        folded = false;
        var length = 0;
        foreach (var c in host)
        {
            if (c < 0x80)
            {
                if (c != '\\')
                {
                    buffer[length++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                }

                continue;
            }

            folded = true;
            switch (c)
            {
                case >= '\u2460' and <= '\u2473':
                    var number = c - '\u2460' + 1;
                    if (number >= 10)
                    {
                        buffer[length++] = (char)('0' + (number / 10));
                    }

                    buffer[length++] = (char)('0' + (number % 10));
                    break;
                case '\u24EA':
                    buffer[length++] = '0';
                    break;
                case >= '\u24B6' and <= '\u24CF':
                    buffer[length++] = (char)('a' + (c - '\u24B6'));
                    break;
                case >= '\u24D0' and <= '\u24E9':
                    buffer[length++] = (char)('a' + (c - '\u24D0'));
                    break;
                case '\u3002' or '\uFF61' or '\uFF0E':
                    buffer[length++] = '.';
                    break;
                case >= '\uFF01' and <= '\uFF5E':
                    var ascii = (char)(c - 0xFEE0);
                    buffer[length++] = ascii is >= 'A' and <= 'Z' ? (char)(ascii + 32) : ascii;
                    break;
                default:
                    buffer[length++] = c;
                    break;
            }
        }

        return length;
    }
}
