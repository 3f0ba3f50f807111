using Xunit.Sdk;

namespace Palisade.Detection.Tests.Detectors;

/// <summary>
/// One line of a detector case file: <c>attack&lt;TAB&gt;value</c> or <c>benign&lt;TAB&gt;value</c>, optionally
/// followed by <c>&lt;TAB&gt;source</c> (<c>query</c>, <c>header:user-agent</c>, <c>name</c>...). Values use
/// <c>\t</c>, <c>\n</c>, <c>\r</c>, <c>\0</c>, <c>\\</c> and <c>\uXXXX</c> escapes.
/// </summary>
public sealed class DetectorCase : IXunitSerializable
{
    public DetectorCase()
    {
    }

    public DetectorCase(string file, int line, bool attack, string value, string source)
    {
        File = file;
        Line = line;
        Attack = attack;
        Value = value;
        Source = source;
    }

    public string File { get; private set; } = "";

    public int Line { get; private set; }

    public bool Attack { get; private set; }

    public string Value { get; private set; } = "";

    public string Source { get; private set; } = "query";

    public void Deserialize(IXunitSerializationInfo info)
    {
        File = info.GetValue<string>(nameof(File))!;
        Line = info.GetValue<int>(nameof(Line));
        Attack = info.GetValue<bool>(nameof(Attack));
        Value = info.GetValue<string>(nameof(Value))!;
        Source = info.GetValue<string>(nameof(Source))!;
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(File), File);
        info.AddValue(nameof(Line), Line);
        info.AddValue(nameof(Attack), Attack);
        info.AddValue(nameof(Value), Value);
        info.AddValue(nameof(Source), Source);
    }

    public override string ToString() => $"{File}:{Line} {(Attack ? "attack" : "benign")} {Shorten(Value)}";

    private static string Shorten(string value)
    {
        var oneLine = value.ReplaceLineEndings("⏎");
        return oneLine.Length <= 60 ? oneLine : oneLine[..60] + "…";
    }
}
