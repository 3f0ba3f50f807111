namespace Palisade.Detection.Parsing;

/// <summary>
/// Where a value comes from, as a detector sees it: the part of the request, whether the value is a name
/// (parameter, field or cookie name) rather than a value, and for headers the header name in lower case.
/// </summary>
public readonly record struct ValueOrigin(ValueSource Source, bool IsName = false, string? Header = null);
