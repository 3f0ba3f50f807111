using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Node.Access.GeoIp;
using Palisade.Node.Tests.Infrastructure;
using Prometheus;

namespace Palisade.Node.Tests.Access.GeoIp;

public sealed class CountryDatabaseTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("127.0.0.1", "XX")]
    [InlineData("127.255.255.255", "XX")]
    [InlineData("192.0.2.1", "NL")]
    [InlineData("192.0.2.200", "BE")]
    [InlineData("2001:db8::1", "DE")]
    [InlineData("2001:db8:ffff:ffff::1", "DE")]
    [InlineData("::ffff:127.0.0.1", "XX")]
    [InlineData("::ffff:192.0.2.200", "BE")]
    [InlineData("128.0.0.1", null)]
    [InlineData("10.0.0.1", null)]
    [InlineData("2001:db9::1", null)]
    [InlineData("::1", null)]
    public void CountryOf_Ipv4Ipv6AndMappedAddresses_TheirNetworksCountry(string address, string? expected)
    {
        using var database = CountryDatabase.Open(WriteDatabase(24), NullLogger.Instance);

        Assert.True(database.IsAvailable);
        Assert.Equal(expected, database.CountryOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", "XX")]
    [InlineData("192.0.2.200", "BE")]
    [InlineData("::ffff:192.0.2.1", "NL")]
    [InlineData("2001:db8::1", "DE")]
    public void CountryOf_28BitRecords_SameAnswers(string address, string expected)
    {
        using var database = CountryDatabase.Open(WriteDatabase(28), NullLogger.Instance);

        Assert.Equal(expected, database.CountryOf(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task Open_ValidFile_GaugeUp()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();

        using var database = CountryDatabase.Open(WriteDatabase(24), NullLogger.Instance, new GeoIpMetrics(registry));

        Assert.Contains("palisade_geoip_database_up 1", await ExportAsync(registry), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("directory")]
    public async Task Open_MissingOrCorruptFile_NoCountriesAndGaugeDown(string damage)
    {
        var path = _directory.File("country.mmdb");
        switch (damage)
        {
            case "garbage":
                await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))], TestContext.Current.CancellationToken);
                break;
            case "truncated":
                await File.WriteAllBytesAsync(path, File.ReadAllBytes(WriteDatabase(24))[..600], TestContext.Current.CancellationToken);
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
        }

        var registry = Prometheus.Metrics.NewCustomRegistry();

        using var database = CountryDatabase.Open(path, NullLogger.Instance, new GeoIpMetrics(registry));

        Assert.False(database.IsAvailable);
        Assert.Null(database.CountryOf(IPAddress.Loopback));
        Assert.Contains("palisade_geoip_database_up 0", await ExportAsync(registry), StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private string WriteDatabase(int recordSize) => new MmdbWriter { RecordSize = recordSize }
        .Add("127.0.0.0/8", "XX")
        .Add("192.0.2.0/24", "NL")
        .Add("192.0.2.128/25", "BE")
        .Add("2001:db8::/32", "DE")
        .WriteTo(_directory.File($"country-{recordSize}.mmdb"));

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
