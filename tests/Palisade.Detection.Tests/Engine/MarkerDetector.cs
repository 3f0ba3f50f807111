using Palisade.Detection.Detectors;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Engine;

/// <summary>Flags values containing "EVIL": lets engine tests see exactly which values reach detectors, and from where.</summary>
internal sealed class MarkerDetector : IDetector
{
    public List<(string Value, ValueOrigin Origin)> Seen { get; } = [];

    public string Id => "test.marker";

    public AttackType AttackType => AttackType.Sqli;

    public bool JudgesWellFormedHeaders { get; init; }

    /// <summary>The sources the detector judges; null for all.</summary>
    public ValueSource[]? Sources { get; init; }

    public bool Judges(ValueSource source) => Sources is null || Sources.Contains(source);

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        lock (Seen)
        {
            Seen.Add((value.ToString(), origin));
        }

        var at = value.IndexOf("EVIL", StringComparison.Ordinal);
        match = new DetectorMatch("marker", Math.Max(at, 0), 4, 50);
        return at >= 0;
    }
}
