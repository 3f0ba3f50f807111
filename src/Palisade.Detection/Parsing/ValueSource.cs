namespace Palisade.Detection.Parsing;

/// <summary>Which part of the request a value came from; detectors may weigh evidence by it.</summary>
public enum ValueSource
{
    Path,
    Query,
    Header,
    Cookie,
    Form,
    Json,
    Multipart,
    Body,
}
