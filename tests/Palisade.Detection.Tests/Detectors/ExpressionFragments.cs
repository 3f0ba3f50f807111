namespace Palisade.Detection.Tests.Detectors;

/// <summary>
/// Fragments that open, nest or break template and code expressions (<c>${</c>, <c>{{</c>, <c>&lt;%</c>, lookups,
/// calls, serialized objects), shared by the code injection and template injection tests: the adversarial units
/// repeated to a megabyte and the alphabet of the random values.
/// </summary>
public static class ExpressionFragments
{
    public const string Alphabet = "{}[]()<>%#$@*+-/'\"`_.:;|=!?&\\ azAZ09jndi";

    public static TheoryData<string> Units => new([
        "${",
        "{{",
        "{{7*",
        "<%",
        "<?",
        "#{",
        "@{[",
        "(",
        "$a(",
        "__class__.",
        "a.",
        "O:1:",
        "://",
        "}",
        "'",
        "${::-",
        "${${lower:",
        "&#36;{",
        "while(",
        "$1:",
        "c\\u006f",
        "$y='sys'.'tem';($y)",
        "$ {'a'.",
        "x/**/(",
    ]);
}
