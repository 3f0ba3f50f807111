using System.Net;
using MaxMind.Db;
using Microsoft.Extensions.Logging;

namespace Palisade.Node.Access.GeoIp;

/// <summary>
/// A country database in MaxMind DB format (GeoLite2-Country, DB-IP country lite), opened once at start and
/// memory-mapped. A file that is missing or unreadable does not stop the node: it logs why, reports
/// <c>palisade_geoip_database_up</c> 0, and every address then has no country. Lookups are a walk of the file's
/// search tree (microseconds) and are safe from any thread.
/// </summary>
public sealed partial class CountryDatabase : IDisposable
{
    private readonly Reader? _reader;
    private readonly ILogger _logger;
    private int _lookupFailureLogged;

    private CountryDatabase(string path, Reader? reader, ILogger logger)
    {
        Path = path;
        _reader = reader;
        _logger = logger;
    }

    /// <summary>The file it was opened from.</summary>
    public string Path { get; }

    /// <summary>True when the file was read; false when it could not be, and no address has a country.</summary>
    public bool IsAvailable => _reader is not null;

    /// <summary>Opens <paramref name="path"/>; never throws for a bad file (see the type's remarks).</summary>
    public static CountryDatabase Open(string path, ILogger logger, GeoIpMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(logger);
        Reader? reader = null;
        try
        {
            reader = new Reader(path, FileAccessMode.MemoryMapped);
            Log.Opened(logger, path, reader.Metadata.DatabaseType, reader.Metadata.BuildDate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDatabaseException or ArgumentException)
        {
            reader?.Dispose();
            reader = null;
            Log.OpenFailed(logger, e, path);
        }

        metrics?.SetUp(reader is not null);
        return new CountryDatabase(path, reader, logger);
    }

    /// <summary>
    /// The ISO 3166-1 alpha-2 code of the country <paramref name="ip"/> is in (its registered country when the
    /// database gives no other); null when the database has none or is unavailable. IPv4-mapped IPv6 addresses
    /// are looked up as IPv4.
    /// </summary>
    public string? CountryOf(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (_reader is not { } reader)
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        try
        {
            var record = reader.Find<CountryRecord>(ip);
            return record?.Country?.IsoCode ?? record?.RegisteredCountry?.IsoCode;
        }
        catch (ArgumentException)
        {
            // An IPv6 address asked of an IPv4-only database: no country.
            return null;
        }
        catch (InvalidDatabaseException e)
        {
            if (Interlocked.Exchange(ref _lookupFailureLogged, 1) == 0)
            {
                Log.LookupFailed(_logger, e, Path);
            }

            return null;
        }
    }

    public void Dispose() => _reader?.Dispose();
}
