namespace Palisade.Node.Access;

/// <summary>Where an IP list entry came from: the configuration (replaced on reload) or the management API (kept across reloads).</summary>
public enum IpListSource
{
    Config,
    Api,
}
