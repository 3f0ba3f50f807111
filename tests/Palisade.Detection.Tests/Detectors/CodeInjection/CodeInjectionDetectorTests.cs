using Palisade.Detection.Detectors.CodeInjection;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.CodeInjection;

public class CodeInjectionDetectorTests() : DetectorCaseFileTests<CodeInjectionDetector>("code_injection.grammar", AttackType.CodeInjection, ExpressionFragments.Alphabet)
{
    [Theory]
    [MemberData(nameof(ExpressionFragments.Units), MemberType = typeof(ExpressionFragments))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit) => AssertMegabyteReturns(unit, null, ValueSource.Query, ValueSource.Body, ValueSource.Json);
}
