using Palisade.Detection.Detectors.Nosqli;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Detectors.Nosqli;

public class NosqliDetectorTests() : DetectorCaseFileTests<NosqliDetector>("nosqli.operator", AttackType.Nosqli)
{
    public static TheoryData<string> AdversarialUnits => new(["$", "$ne", "{\"$gt\":", "';", "|| 1==", "this.", "db.a.", "[$"]);

    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit) => AssertMegabyteReturnsFromEveryOrigin(unit);
}
