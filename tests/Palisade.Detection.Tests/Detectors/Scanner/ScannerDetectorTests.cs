using Palisade.Detection.Detectors.Scanner;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Detectors.Scanner;

public class ScannerDetectorTests() : DetectorCaseFileTests<ScannerDetector>("scanner.probe", AttackType.Scanner)
{
    public static TheoryData<string> AdversarialUnits => new(["/", "/.", "/proc/", ".sql.", "~", "/actuator/", " ", "nikto "]);

    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit) => AssertMegabyteReturnsFromEveryOrigin(unit);
}
