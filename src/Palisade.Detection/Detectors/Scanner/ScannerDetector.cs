using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Scanner;

/// <summary>
/// Detects automated scanning: a <c>User-Agent</c> naming a security scanner or attack tool
/// (<see cref="ScannerUserAgents"/>), and a request path that probes for a sensitive file or endpoint
/// (<see cref="ProbePaths"/>). Only the <c>user-agent</c> header and the whole-path point are read; every other
/// value returns at once.
/// </summary>
public sealed class ScannerDetector : IDetector
{
    public string Id => "scanner.probe";

    public AttackType AttackType => AttackType.Scanner;

    public bool JudgesWellFormedHeaders => true;

    /// <summary>User agents are headers, probes are paths: nothing else is read.</summary>
    public bool Judges(ValueSource source) => source is ValueSource.Header or ValueSource.Path;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (value.IsEmpty || origin.IsName)
        {
            return false;
        }

        int start;
        int length;
        if (origin.Source == ValueSource.Header && origin.Header == "user-agent")
        {
            if (ScannerUserAgents.TryFind(value, out start, out length))
            {
                match = new DetectorMatch("scanner user agent", start, length, 80);
                return true;
            }

            return false;
        }

        if (origin.Source == ValueSource.Path && value[0] == '/' && ProbePaths.TryFind(value, out start, out length))
        {
            match = new DetectorMatch("sensitive file probe", start, length, 70);
            return true;
        }

        return false;
    }
}
