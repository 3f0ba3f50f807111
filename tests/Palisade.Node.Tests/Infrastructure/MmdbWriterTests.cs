using System.Net;
using MaxMind.Db;
using Palisade.Node.Access.GeoIp;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>The test database writer, checked byte by byte against the format and read back by MaxMind.Db.</summary>
public sealed class MmdbWriterTests
{
    [Fact]
    public void Build_OneIpv4Network_LaysOutTreeSeparatorAndDataAsTheSpecificationSays()
    {
        var file = new MmdbWriter().Add("127.0.0.0/8", "XX").Build();

        // 127.0.0.0/8 is ::7f00:0/104 in the IPv6 tree: one node per bit before the last, so 104 nodes of 6 bytes.
        // Node 0 goes left (bit 0 is 0) to node 1; its right record is empty (= node_count, 104 = 0x68).
        Assert.Equal(new byte[] { 0x00, 0x00, 0x01, 0x00, 0x00, 0x68 }, file[..6]);

        // Bit 96 (the first of 127 = 0111 1111) is 0: node 96 goes left to 97.
        Assert.Equal(new byte[] { 0x00, 0x00, 0x61, 0x00, 0x00, 0x68 }, file[(96 * 6)..(97 * 6)]);

        // Node 103 takes the last 1 bit right to the data at offset 0: 104 + 16 + 0 = 120 = 0x78.
        Assert.Equal(new byte[] { 0x00, 0x00, 0x68, 0x00, 0x00, 0x78 }, file[(103 * 6)..(104 * 6)]);

        // 16 zero bytes, then {country: {iso_code: "XX"}}: map(1), "country", map(1), "iso_code", "XX".
        Assert.Equal(new byte[16], file[624..640]);
        byte[] data = [0xE1, 0x47, .. "country"u8, 0xE1, 0x48, .. "iso_code"u8, 0x42, .. "XX"u8];
        Assert.Equal(data, file[640..(640 + data.Length)]);

        // Then the metadata marker and a map of 9 pairs whose first is node_count: uint32 of one byte, 104.
        var marker = 640 + data.Length;
        Assert.Equal(MmdbWriter.MetadataMarker, file[marker..(marker + 14)]);
        byte[] nodeCount = [0xE9, 0x4A, .. "node_count"u8, 0xC1, 0x68];
        Assert.Equal(nodeCount, file[(marker + 14)..(marker + 14 + nodeCount.Length)]);
    }

    [Fact]
    public void Build_Metadata_ReadByMaxMindDb()
    {
        using var reader = new Reader(new MemoryStream(new MmdbWriter { DatabaseType = "Test-Country" }.Add("10.0.0.0/8", "NL").Build()));

        var metadata = reader.Metadata;

        Assert.Equal("Test-Country", metadata.DatabaseType);
        Assert.Equal(6, metadata.IPVersion);
        Assert.Equal(2, metadata.BinaryFormatMajorVersion);
        Assert.Equal(0, metadata.BinaryFormatMinorVersion);
        Assert.Equal(["en"], metadata.Languages);
        Assert.Equal("Palisade test country database", metadata.Description["en"]);
        Assert.Equal(new DateTime(2025, 11, 28, 0, 0, 0, DateTimeKind.Utc), metadata.BuildDate);
    }

    // The /25 carved out of the /24 leaves the /24's other half as a /25 of its own, as in any MaxMind DB tree.
    [Theory]
    [InlineData(24, "192.0.2.1", "NL", 25)]
    [InlineData(24, "192.0.2.200", "BE", 25)]
    [InlineData(24, "192.0.3.1", "NL", 24)]
    [InlineData(24, "2001:db8:ffff::1", "DE", 32)]
    [InlineData(28, "192.0.2.1", "NL", 25)]
    [InlineData(28, "192.0.3.1", "NL", 24)]
    [InlineData(28, "192.0.2.200", "BE", 25)]
    [InlineData(28, "2001:db8:ffff::1", "DE", 32)]
    public void Build_NestedNetworks_MaxMindDbFindsEachWithItsPrefix(int recordSize, string address, string country, int prefix)
    {
        var file = new MmdbWriter { RecordSize = recordSize }
            .Add("192.0.2.128/25", "BE")
            .Add("192.0.2.0/23", "NL")
            .Add("2001:db8::/32", "DE")
            .Build();
        using var reader = new Reader(new MemoryStream(file));

        var record = reader.Find<CountryRecord>(IPAddress.Parse(address), out var found);

        Assert.Equal(country, record?.Country?.IsoCode);
        Assert.Equal(prefix, found);
    }

    [Fact]
    public void Build_AddressOutsideEveryNetwork_NotFound()
    {
        using var reader = new Reader(new MemoryStream(new MmdbWriter().Add("192.0.2.0/24", "NL").Build()));

        Assert.Null(reader.Find<CountryRecord>(IPAddress.Parse("192.0.3.1")));
        Assert.Null(reader.Find<CountryRecord>(IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public void Build_ManyCountries_DataOffsetsBeyondOneByte()
    {
        var writer = new MmdbWriter();
        for (var i = 0; i < 40; i++)
        {
            writer.Add($"10.{i}.0.0/16", $"{(char)('A' + (i / 26))}{(char)('A' + (i % 26))}");
        }

        using var reader = new Reader(new MemoryStream(writer.Build()));

        Assert.Equal("BN", reader.Find<CountryRecord>(IPAddress.Parse("10.39.1.1"))?.Country?.IsoCode);
        Assert.Equal("AA", reader.Find<CountryRecord>(IPAddress.Parse("10.0.1.1"))?.Country?.IsoCode);
    }
}
