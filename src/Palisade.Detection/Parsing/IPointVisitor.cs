using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>Receives every value a parser finds, with its point. The engine inspects; tests record.</summary>
public interface IPointVisitor
{
    void Visit(Point point, ReadOnlySpan<char> value, in ValueOrigin origin);
}
