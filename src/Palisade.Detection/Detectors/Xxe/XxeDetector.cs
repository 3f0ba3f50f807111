using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Xxe;

/// <summary>
/// Detects XML external entity attacks in any value that holds XML (a raw XML body, an XML or SVG upload, a form
/// field): it reads the markup declarations (<c>&lt;!DOCTYPE</c>, <c>&lt;!ENTITY</c>) with <see cref="DtdReader"/>
/// and flags external entities (<c>SYSTEM</c>/<c>PUBLIC</c> with any URI), parameter entities (<c>&lt;!ENTITY %</c>,
/// <c>%name;</c>), entities that expand other entities (billion laughs), a DOCTYPE that loads an external DTD from
/// anywhere but the W3C's public identifiers, and XInclude. An HTML5 <c>&lt;!DOCTYPE html&gt;</c>, the XHTML and SVG
/// DOCTYPEs, and SVG without declarations pass.
/// </summary>
public sealed class XxeDetector : IDetector
{
    private const string TriggersText = "<";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggersText);

    public string Id => "xxe.dtd";

    public AttackType AttackType => AttackType.Xxe;

    public string RequiredCharacters => TriggersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (value.Length < 8 || !origin.Characters.ContainsAny(value, TriggerMask, Triggers))
        {
            return false;
        }

        var finding = DtdReader.Read(value);
        if (finding.Reason is null)
        {
            return false;
        }

        match = new DetectorMatch(finding.Reason, finding.Start, finding.Length, 90);
        return true;
    }
}
