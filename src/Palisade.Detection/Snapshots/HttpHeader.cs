namespace Palisade.Detection.Snapshots;

/// <summary>One request header field as received: the name with its original spelling and the value.</summary>
public readonly record struct HttpHeader(string Name, string Value);
