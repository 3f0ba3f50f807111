using Palisade.Detection.Detectors;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Engine;

/// <summary>
/// The state of one request's inspection: it receives every value the parsers find, runs each detector on
/// it, follows percent-escapes one level further when a decoded value still holds some, and collects findings.
/// </summary>
internal sealed class InspectionContext : IPointVisitor
{
    private readonly IDetector[] _detectors;
    private readonly InspectionOptions _options;
    private List<Finding>? _findings;

    public InspectionContext(IDetector[] detectors, InspectionOptions options)
    {
        _detectors = detectors;
        _options = options;
    }

    public int Points { get; private set; }

    public bool BudgetExceeded { get; private set; }

    public IReadOnlyList<Finding> Findings => _findings ?? (IReadOnlyList<Finding>)[];

    public void Visit(Point point, ReadOnlySpan<char> value, in ValueOrigin origin) =>
        Inspect(point, value, origin, decodeDepth: 0, alreadyFound: 0);

    private void Inspect(Point point, ReadOnlySpan<char> value, in ValueOrigin origin, int decodeDepth, ulong alreadyFound)
    {
        if (value.IsEmpty)
        {
            return;
        }

        if (Points >= _options.MaxPoints)
        {
            BudgetExceeded = true;
            return;
        }

        Points++;

        var found = alreadyFound;
        for (var i = 0; i < _detectors.Length; i++)
        {
            var bit = 1UL << (i & 63);
            if ((found & bit) != 0)
            {
                continue;
            }

            var detector = _detectors[i];
            if (detector.TryDetect(value, origin, out var match))
            {
                found |= bit;
                var evidence = EvidenceFormatter.Format(value, match, EvidenceFormatter.IsSecretPoint(point));
                (_findings ??= []).Add(new Finding(detector.AttackType, point.ToString(), detector.Id, match.Reason, evidence, match.Score));
            }
        }

        // Escapes that survive one decoding (%2527) are decoded again: the application or a framework
        // in front of it may decode twice. A detector that already fired on the value is not asked again.
        if (decodeDepth < _options.MaxDecodeDepth)
        {
            // Query and form values were form-decoded once; a second round keeps form semantics ('+' is a space).
            var decoded = PercentDecoder.Decode(value, plusAsSpace: origin.Source is ValueSource.Query or ValueSource.Form);
            if (decoded is not null)
            {
                Inspect(point.Decoded("percent"), decoded, origin, decodeDepth + 1, found);
            }
        }
    }
}
