using Prometheus;

namespace Palisade.Node.Access.GeoIp;

/// <summary>The country database's metrics, in the node's registry.</summary>
public sealed class GeoIpMetrics
{
    private readonly Gauge _up;

    public GeoIpMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _up = factory.CreateGauge("palisade_geoip_database_up", "1 while the country database (geoip-database) is open; 0 when none is configured or it could not be read, so country rules match nothing.");
        _up.Set(0);
    }

    public void SetUp(bool up) => _up.Set(up ? 1 : 0);
}
