namespace Palisade.Node.Configuration;

/// <summary>How operational logs are written to standard error (attack events are always JSON on standard output).</summary>
public enum LogFormat
{
    Text,
    Json,
}
