using Palisade.Detection.Detectors.Ldapi;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Detectors.Ldapi;

public class LdapiDetectorTests() : DetectorCaseFileTests<LdapiDetector>("ldapi.filter", AttackType.Ldapi)
{
    public static TheoryData<string> AdversarialUnits => new([")(", "(|(", ")", "(", "*))", "\\29", ")|"]);

    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit) => AssertMegabyteReturnsFromEveryOrigin(unit);
}
