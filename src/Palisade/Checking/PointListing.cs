using Palisade.Detection.Engine;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Checking;

/// <summary>
/// Every value an inspection looked at, by point: what <c>palisade check --points</c> prints so an operator sees
/// what a request was parsed into (and which point an exclusion must name). Values are not kept, only their length.
/// </summary>
internal sealed class PointListing : IInspectionObserver
{
    private readonly List<(string Point, ValueSource Source, int Length)> _points = [];

    public void Inspected(Point point, ReadOnlySpan<char> value, in ValueOrigin origin) =>
        _points.Add((point.ToString(), origin.Source, value.Length));

    public void Write(TextWriter output)
    {
        output.WriteLine($"  inspected {_points.Count} value(s):");
        var width = _points.Count == 0 ? 0 : _points.Max(p => p.Point.Length);
        foreach (var (point, source, length) in _points)
        {
            output.WriteLine($"    {point.PadRight(width)}  {source.ToString().ToLowerInvariant()}, {length} chars");
        }
    }
}
