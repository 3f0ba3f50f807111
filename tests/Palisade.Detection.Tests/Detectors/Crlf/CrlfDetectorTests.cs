using Palisade.Detection.Detectors.Crlf;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Detectors.Crlf;

public class CrlfDetectorTests() : DetectorCaseFileTests<CrlfDetector>("crlf.header", AttackType.Crlf)
{
    public static TheoryData<string> AdversarialUnits => new(["%0d%0a", "\r\n", "%25", "%%0a0a", "\n", "\u560A", "%u000a"]);

    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit) => AssertMegabyteReturnsFromEveryOrigin(unit);
}
