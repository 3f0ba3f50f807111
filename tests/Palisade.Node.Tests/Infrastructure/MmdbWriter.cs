using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>
/// Writes a small country database in MaxMind DB format 2.0, the way GeoLite2-Country files are laid out: an IPv6
/// search tree (IPv4 networks under <c>::/96</c>) of 24- or 28-bit records, 16 zero bytes, a data section with one
/// <c>{country: {iso_code: "XX"}}</c> map per country, then the metadata marker and the metadata map with the fields
/// the specification requires. Networks are inserted broadest first, so a narrower one carves itself out of a
/// broader one. Enough for tests; not a general writer (no aliases of IPv4 under <c>::ffff:0:0/96</c>).
/// </summary>
public sealed class MmdbWriter
{
    public static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    private const long Empty = -1;

    private readonly List<(UInt128 Key, int Prefix, string Country)> _networks = [];

    public int RecordSize { get; init; } = 24;

    public string DatabaseType { get; init; } = "Palisade-Test-Country";

    public ulong BuildEpoch { get; init; } = 1_764_288_000; // 2025-11-28T00:00:00Z

    /// <summary>Maps <paramref name="cidr"/> (IPv4 or IPv6) to <paramref name="country"/>.</summary>
    public MmdbWriter Add(string cidr, string country)
    {
        var network = IPNetwork.Parse(cidr);
        Span<byte> bytes = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(bytes, out var written);
        var (key, prefix) = written == 4
            ? ((UInt128)BinaryPrimitives.ReadUInt32BigEndian(bytes), network.PrefixLength + 96)
            : (BinaryPrimitives.ReadUInt128BigEndian(bytes), network.PrefixLength);
        if (prefix == 0)
        {
            throw new ArgumentException("a network of the whole address space has no place in the tree", nameof(cidr));
        }

        _networks.Add((key, prefix, country));
        return this;
    }

    public byte[] Build()
    {
        if (RecordSize is not (24 or 28))
        {
            throw new InvalidOperationException("record size 24 or 28");
        }

        // Data section: one map per country.
        var data = new MemoryStream();
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, _, country) in _networks)
        {
            if (!offsets.ContainsKey(country))
            {
                offsets[country] = data.Length;
                WriteControl(data, 7, 1);
                WriteString(data, "country");
                WriteControl(data, 7, 1);
                WriteString(data, "iso_code");
                WriteString(data, country);
            }
        }

        // Search tree: a record is a node index (>= 0), Empty, or data at offset d as -(d + 2).
        var nodes = new List<long[]> { new[] { Empty, Empty } };
        var ordered = new List<(UInt128 Key, int Prefix, string Country)>(_networks);
        ordered.Sort(static (a, b) => a.Prefix.CompareTo(b.Prefix));
        foreach (var (key, prefix, country) in ordered)
        {
            var node = 0;
            for (var depth = 0; depth < prefix; depth++)
            {
                var bit = (int)((key >> (127 - depth)) & UInt128.One);
                if (depth == prefix - 1)
                {
                    nodes[node][bit] = -(offsets[country] + 2);
                    break;
                }

                var record = nodes[node][bit];
                if (record >= 0)
                {
                    node = (int)record;
                    continue;
                }

                // Empty or data: a new node whose both halves keep what the record said.
                nodes.Add([record, record]);
                nodes[node][bit] = nodes.Count - 1;
                node = nodes.Count - 1;
            }
        }

        var nodeCount = nodes.Count;
        var file = new MemoryStream();
        var bytesPerNode = RecordSize * 2 / 8;
        Span<byte> buffer = stackalloc byte[7];
        foreach (var node in nodes)
        {
            var left = Value(node[0], nodeCount);
            var right = Value(node[1], nodeCount);
            if (RecordSize == 24)
            {
                buffer[0] = (byte)(left >> 16);
                buffer[1] = (byte)(left >> 8);
                buffer[2] = (byte)left;
                buffer[3] = (byte)(right >> 16);
                buffer[4] = (byte)(right >> 8);
                buffer[5] = (byte)right;
            }
            else
            {
                buffer[0] = (byte)(left >> 16);
                buffer[1] = (byte)(left >> 8);
                buffer[2] = (byte)left;
                buffer[3] = (byte)(((left >> 20) & 0xF0) | ((right >> 24) & 0x0F));
                buffer[4] = (byte)(right >> 16);
                buffer[5] = (byte)(right >> 8);
                buffer[6] = (byte)right;
            }

            file.Write(buffer[..bytesPerNode]);
        }

        file.Write(new byte[16]);
        data.Position = 0;
        data.CopyTo(file);
        file.Write(MetadataMarker);

        WriteControl(file, 7, 9);
        WriteString(file, "node_count");
        WriteUnsigned(file, 6, (ulong)nodeCount);
        WriteString(file, "record_size");
        WriteUnsigned(file, 5, (ulong)RecordSize);
        WriteString(file, "ip_version");
        WriteUnsigned(file, 5, 6);
        WriteString(file, "database_type");
        WriteString(file, DatabaseType);
        WriteString(file, "languages");
        WriteControl(file, 11, 1);
        WriteString(file, "en");
        WriteString(file, "binary_format_major_version");
        WriteUnsigned(file, 5, 2);
        WriteString(file, "binary_format_minor_version");
        WriteUnsigned(file, 5, 0);
        WriteString(file, "build_epoch");
        WriteUnsigned(file, 9, BuildEpoch);
        WriteString(file, "description");
        WriteControl(file, 7, 1);
        WriteString(file, "en");
        WriteString(file, "Palisade test country database");
        return file.ToArray();
    }

    /// <summary>Writes the database to <paramref name="path"/> and returns the path.</summary>
    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, Build());
        return path;
    }

    private static uint Value(long record, int nodeCount) => record switch
    {
        Empty => (uint)nodeCount,
        >= 0 => (uint)record,
        _ => (uint)(nodeCount + 16 + (-record - 2)),
    };

    // The control byte: type in the top 3 bits (0 and an extra byte of type - 7 for types above 7), size in the low 5.
    private static void WriteControl(Stream stream, int type, int size)
    {
        var typeBits = type <= 7 ? type << 5 : 0;
        var sizeBits = size switch { < 29 => size, < 285 => 29, < 65_821 => 30, _ => 31 };
        stream.WriteByte((byte)(typeBits | sizeBits));
        if (type > 7)
        {
            stream.WriteByte((byte)(type - 7));
        }

        switch (sizeBits)
        {
            case 29:
                stream.WriteByte((byte)(size - 29));
                break;
            case 30:
                stream.WriteByte((byte)((size - 285) >> 8));
                stream.WriteByte((byte)(size - 285));
                break;
            case 31:
                stream.WriteByte((byte)((size - 65_821) >> 16));
                stream.WriteByte((byte)((size - 65_821) >> 8));
                stream.WriteByte((byte)(size - 65_821));
                break;
        }
    }

    private static void WriteString(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteControl(stream, 2, bytes.Length);
        stream.Write(bytes);
    }

    // Unsigned integers take as few big-endian bytes as their value needs (none for zero).
    private static void WriteUnsigned(Stream stream, int type, ulong value)
    {
        var length = 0;
        for (var v = value; v != 0; v >>= 8)
        {
            length++;
        }

        WriteControl(stream, type, length);
        for (var i = length - 1; i >= 0; i--)
        {
            stream.WriteByte((byte)(value >> (8 * i)));
        }
    }
}
