using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Tests.Parsing;

/// <summary>Records what a parser visits, as "point=value" lines.</summary>
internal sealed class RecordingVisitor : IPointVisitor
{
    public List<string> Visits { get; } = [];

    public List<ValueOrigin> Origins { get; } = [];

    public void Visit(Point point, ReadOnlySpan<char> value, in ValueOrigin origin)
    {
        Visits.Add($"{point}={value}");
        Origins.Add(origin);
    }
}
