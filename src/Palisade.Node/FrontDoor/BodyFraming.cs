namespace Palisade.Node.FrontDoor;

/// <summary>How a request's body is delimited, as the front door validated it.</summary>
public enum BodyFraming
{
    None,
    ContentLength,
    Chunked,
}
