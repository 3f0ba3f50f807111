using Palisade.Detection.Detectors.Ssti;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.Ssti;

public class SstiDetectorTests() : DetectorCaseFileTests<SstiDetector>("ssti.expression", AttackType.Ssti, ExpressionFragments.Alphabet)
{
    [Theory]
    [MemberData(nameof(ExpressionFragments.Units), MemberType = typeof(ExpressionFragments))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit) => AssertMegabyteReturns(unit, null, ValueSource.Query, ValueSource.Body, ValueSource.Json);
}
