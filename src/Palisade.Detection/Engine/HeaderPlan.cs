using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Engine;

/// <summary>
/// What the engine does with the values of one header name, decided once per name rather than once per request:
/// skip it (framing and fields the server enforces), split it (<c>Cookie</c>), or inspect it at its point, first
/// checking the value against the header's own grammar (<see cref="InertHeaderValues"/>).
/// </summary>
internal sealed class HeaderPlan
{
    private HeaderPlan(string spelling, HeaderHandling handling, string name, HeaderGrammar grammar)
    {
        Spelling = spelling;
        Handling = handling;
        Name = name;
        Grammar = grammar;
        Point = Point.Header.Key(name);
        QueryPoint = Point.Decoded("query");
        Origin = new ValueOrigin(ValueSource.Header, Header: name);
    }

    /// <summary>The name as the client spelled it.</summary>
    public string Spelling { get; }

    public HeaderHandling Handling { get; }

    /// <summary>The header name in lower case, as points spell it.</summary>
    public string Name { get; }

    /// <summary>The grammar a well-formed value of this header follows, if the engine knows one.</summary>
    public HeaderGrammar Grammar { get; }

    /// <summary><c>header.NAME</c>: shared by every request, as points are immutable.</summary>
    public Point Point { get; }

    /// <summary><c>header.NAME|query</c>, where the parameters of a URL in the value hang: shared as <see cref="Point"/> is.</summary>
    public Point QueryPoint { get; }

    public ValueOrigin Origin { get; }

    public static HeaderPlan Create(string name)
    {
        var lower = HeaderNames.Normalize(name);
        var handling = lower == "cookie" ? HeaderHandling.Cookie
            : HeaderNames.IsStructural(lower) ? HeaderHandling.Skip
            : HeaderHandling.Inspect;
        return new HeaderPlan(name, handling, lower, InertHeaderValues.GrammarOf(lower));
    }
}
