using Palisade.Detection.Detectors.Xxe;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Detectors.Xxe;

public class XxeDetectorTests() : DetectorCaseFileTests<XxeDetector>("xxe.dtd", AttackType.Xxe)
{
    public static TheoryData<string> AdversarialUnits => new(["<!DOCTYPE x [", "<!ENTITY ", "<!ENTITY % a SYSTEM \"", "<x:include", "&a;", "\""]);

    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit) => AssertMegabyteReturnsFromEveryOrigin(unit);
}
