using Palisade.Detection.Detectors;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>Stands for a detector bug: the only way to make the real engine fail on purpose.</summary>
internal sealed class ThrowingDetector : IDetector
{
    public string Id => "test.throwing";

    public AttackType AttackType => AttackType.Sqli;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match) =>
        throw new InvalidOperationException("detector bug");
}
