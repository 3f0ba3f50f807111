using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Xxe;

/// <summary>
/// Detects XML external entity attacks in any value that holds XML (a raw XML body, an XML or SVG upload, a form
/// field): it reads the markup declarations (<c>&lt;!DOCTYPE</c>, <c>&lt;!ENTITY</c>) with <see cref="DtdReader"/>
/// and flags external entities (<c>SYSTEM</c>/<c>PUBLIC</c> with any URI), parameter entities (<c>&lt;!ENTITY %</c>,
/// <c>%name;</c>), entities that expand other entities (billion laughs), a DOCTYPE that loads an external DTD from
/// anywhere but the W3C's public identifiers, XInclude, an <c>xsi:schemaLocation</c> on a remote host
/// (<see cref="SchemaLocation"/>), and external or parameter entity declarations whose '&lt;' was stripped. An HTML5 <c>&lt;!DOCTYPE html&gt;</c>, the XHTML and SVG
/// DOCTYPEs, and SVG without declarations pass.
/// </summary>
public sealed class XxeDetector : IDetector
{
    private const string TriggersText = "<";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggersText);

    // A declaration whose '<' a filter stripped still starts with '!'.
    private static readonly SearchValues<char> Bang = SearchValues.Create("!");

    private static readonly CharacterMask BangMask = CharacterMask.Of("!");

    public string Id => "xxe.dtd";

    public AttackType AttackType => AttackType.Xxe;

    public string RequiredCharacters => "<!";

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (value.Length < 8)
        {
            return false;
        }

        var finding = default(DtdFinding);
        if (origin.Characters.ContainsAny(value, TriggerMask, Triggers))
        {
            finding = DtdReader.Read(value);
            if (finding.Reason is null)
            {
                finding = SchemaLocation.Find(value);
            }
        }
        else if (origin.Characters.ContainsAny(value, BangMask, Bang))
        {
            finding = DtdReader.ReadBareEntity(value);
        }

        if (finding.Reason is null)
        {
            return false;
        }

        match = new DetectorMatch(finding.Reason, finding.Start, finding.Length, 90);
        return true;
    }
}
