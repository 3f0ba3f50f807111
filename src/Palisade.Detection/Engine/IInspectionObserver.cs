using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Engine;

/// <summary>
/// Sees every value the engine hands to its detectors, with its point and origin, in inspection order: what a
/// request was parsed into. For explaining an inspection and for the parsers' golden files; never on the node's
/// request path.
/// </summary>
public interface IInspectionObserver
{
    void Inspected(Point point, ReadOnlySpan<char> value, in ValueOrigin origin);
}
