using Palisade.Detection.Detectors.PathTraversal;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.PathTraversal;

public class PathTraversalDetectorTests() : DetectorCaseFileTests<PathTraversalDetector>("path_traversal.resolve", AttackType.PathTraversal, "./\\%0123456789abcdefxu:;?#@ \u00C0\u00AE\uFF0E\u2215\0")
{
    [Theory]
    [InlineData("../../../etc/passwd", PathTraversalReasons.SensitiveFile)]
    [InlineData("../../../zq/zq", PathTraversalReasons.ClimbAboveRoot)]
    [InlineData("..%5c..%5czq", PathTraversalReasons.DisguisedClimb)]
    [InlineData("php://filter/resource=zq", PathTraversalReasons.StreamWrapper)]
    [InlineData("/var/log/zq.log", PathTraversalReasons.SystemPath)]
    [InlineData("http://10.1.2.3/zq.php", PathTraversalReasons.RemoteInclusion)]
    public void TryDetect_Attack_GivesFixedReason(string value, string reason) => AssertFixedReason(value, reason);

    [Theory]
    [InlineData("%c0%ae%c0%ae%c0%afetc/issue")]
    [InlineData("\u00C0\u00AE\u00C0\u00AE\u00C0\u00AFetc/issue")]
    [InlineData("%5c..%5c..%5c..")]
    [InlineData("%%32%%65%%32%%65/%%32%%65%%32%%65/boot.ini")]
    [InlineData("..%uF025..%uF025etc%uF025shadow")]
    [InlineData("%f0%80%80%ae%f0%80%80%ae%f0%80%80%afwindows%f0%80%80%afwin.ini")]
    [InlineData("..2f..2fetc2fpasswd")]
    public void TryDetect_EncodedDotsAndSeparators_AreDecoded(string value)
    {
        Assert.True(Detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out _));
    }

    [Theory]
    [InlineData("/", 'x')]
    [InlineData("../", 'x')]
    [InlineData("..\\", 'x')]
    [InlineData("%c0%ae", 'x')]
    [InlineData("%%32%", 'x')]
    [InlineData("%f8%80%80%80", 'x')]
    [InlineData("%u", 'x')]
    [InlineData("0x2e", 'x')]
    [InlineData(".", '/')]
    [InlineData("a/", 'x')]
    [InlineData("%", '%')]
    [InlineData("\u00C0", 'x')]
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler) => AssertMegabyteReturns(unit, filler, ValueSource.Query, ValueSource.Path, ValueSource.Header);
}
