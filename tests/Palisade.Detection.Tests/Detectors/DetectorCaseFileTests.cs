using System.Diagnostics.CodeAnalysis;
using Palisade.Detection.Detectors;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors;

/// <summary>
/// The tests every detector shares: each line of its case files (<c>Detectors/&lt;Type&gt;/cases/*.txt</c>, the
/// folder named like the detector's namespace) keeps its label with the evidence inside the value, plain values
/// stay clean from every origin, the identity is stable, and random or adversarial input returns with the
/// evidence inside the value. A detector's test class derives from it and adds only what is its own.
/// </summary>
/// <typeparam name="TDetector">The detector under test.</typeparam>
/// <param name="id">The detector's expected <see cref="IDetector.Id"/>.</param>
/// <param name="attackType">The detector's expected <see cref="IDetector.AttackType"/>.</param>
/// <param name="randomAlphabet">The characters the short random values are drawn from besides random UTF-16 units.</param>
public abstract class DetectorCaseFileTests<TDetector>(string id, AttackType attackType, string randomAlphabet = DetectorCaseFileTests<TDetector>.Specials)
    where TDetector : IDetector, new()
{
    /// <summary>Characters that open or close a construct in one grammar or another, for the long random values.</summary>
    protected const string Specials = "()*|&!=$%0adDaA\\\r\n:;'\"<>[]{}/.~-xX\u560A";

    private static readonly string CaseFolder = typeof(TDetector).Namespace![(typeof(TDetector).Namespace!.LastIndexOf('.') + 1)..];

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "xUnit reads theory data from a static member; each closed detector type has its own case folder.")]
    public static TheoryData<DetectorCase> Cases => DetectorCaseFiles.Load(CaseFolder);

    protected TDetector Detector { get; } = new();

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryDetect_CaseFile_MatchesLabel(DetectorCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var origin = DetectorCaseFiles.Origin(testCase.Source);
        var found = Detector.TryDetect(testCase.Value, origin, out var match);
        AssertSameWithCharactersKnown(testCase.Value, origin, found, match);

        Assert.True(found == testCase.Attack, found
            ? $"{testCase}: flagged as '{match.Reason}' (score {match.Score}) at [{match.Start}, {match.Start + match.Length}): {Excerpt(testCase.Value, match)}"
            : $"{testCase}: not flagged");
        if (found)
        {
            Assert.InRange(match.Score, 1, 100);
            Assert.InRange(match.Start, 0, testCase.Value.Length);
            Assert.InRange(match.Length, 1, testCase.Value.Length - match.Start);
            AssertHoldsRequiredCharacter(testCase.Value);
        }
    }

    [Fact]
    public void Identity_IsStable()
    {
        Assert.Equal(id, Detector.Id);
        Assert.Equal(attackType, Detector.AttackType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("hello")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("2026-11-27")]
    [InlineData("2024-07-02")]
    [InlineData("2024-01-31")]
    public void TryDetect_PlainValue_ReturnsFalseWithDefaultMatch(string value)
    {
        foreach (var origin in Origins())
        {
            Assert.False(Detector.TryDetect(value, origin, out var match));
            Assert.Equal(default, match);
        }
    }

    [Fact]
    public void TryDetect_RandomText_NeverThrowsAndSpansStayInside()
    {
        // Long values of random UTF-16 units (lone surrogates included) or of the common specials, then short
        // values drawn mostly from the detector's own alphabet; every origin reads each of them.
        var random = new Random(4515);
        var chars = new char[4096];
        for (var round = 0; round < 200; round++)
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = round % 2 == 0 ? (char)random.Next(0, 0x10000) : Specials[random.Next(0, Specials.Length)];
            }

            AssertReturnsWithSpanInside(chars, Origins());
        }

        random = new Random(20261127);
        for (var round = 0; round < 2000; round++)
        {
            var value = new char[random.Next(1, 200)];
            for (var i = 0; i < value.Length; i++)
            {
                value[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : randomAlphabet[random.Next(randomAlphabet.Length)];
            }

            AssertReturnsWithSpanInside(value, Origins());
        }
    }

    /// <summary>
    /// Repeats <paramref name="unit"/> to a full MiB and reads it from every origin: the detector must stay linear (no
    /// timing asserted, only that it returns), must not overflow the stack on deep nesting, and keeps its evidence
    /// inside the value.
    /// </summary>
    protected void AssertMegabyteReturnsFromEveryOrigin(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        AssertReturnsWithSpanInside(Repeat(unit, 1 << 20), Origins());
    }

    /// <summary>
    /// Repeats <paramref name="unit"/> to a full MiB and reads it from each of <paramref name="sources"/>, then, with
    /// a <paramref name="jsonFiller"/>, shifted by it as JSON: the detector must stay linear (no timing asserted, only
    /// that it returns), must not overflow the stack on deep nesting, and keeps its evidence inside the value.
    /// </summary>
    protected void AssertMegabyteReturns(string unit, char? jsonFiller, params ValueSource[] sources)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(sources);
        var value = Repeat(unit, 1 << 20);
        AssertReturnsWithSpanInside(value, [.. sources.Select(source => new ValueOrigin(source))]);
        if (jsonFiller is { } filler)
        {
            AssertReturnsWithSpanInside(filler + value, [new ValueOrigin(ValueSource.Json)]);
        }
    }

    /// <summary>The attack is flagged from a query with <paramref name="reason"/>, which holds no request data (<c>zq</c>).</summary>
    protected void AssertFixedReason(string value, string reason)
    {
        Assert.True(Detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(reason, match.Reason);
        Assert.DoesNotContain("zq", match.Reason, StringComparison.Ordinal);
        Assert.InRange(match.Score, 1, 100);
    }

    private static ValueOrigin[] Origins() =>
    [
        new(ValueSource.Query), new(ValueSource.Query, IsName: true), new(ValueSource.Json), new(ValueSource.Body),
        new(ValueSource.Cookie), new(ValueSource.Path), new(ValueSource.Header, Header: "user-agent"),
    ];

    private void AssertReturnsWithSpanInside(ReadOnlySpan<char> value, ValueOrigin[] origins)
    {
        foreach (var origin in origins)
        {
            var found = Detector.TryDetect(value, origin, out var match);
            AssertSameWithCharactersKnown(value, origin, found, match);
            AssertSpanInside(found, match, value.Length);
            if (found)
            {
                AssertHoldsRequiredCharacter(value);
            }
        }
    }

    // The engine hands each detector the value's characters with its origin (ValueOrigin.Characters), and the
    // detector's screens read them instead of searching the value: both readings must reach the same verdict.
    private void AssertSameWithCharactersKnown(ReadOnlySpan<char> value, ValueOrigin origin, bool found, DetectorMatch match)
    {
        var foundKnown = Detector.TryDetect(value, origin with { Characters = CharacterMask.Of(value) }, out var matchKnown);
        Assert.True((found, match) == (foundKnown, matchKnown), $"{id} with the characters known: {foundKnown} '{matchKnown.Reason}', searching them: {found} '{match.Reason}'");
    }

    // The engine skips a detector on values without any of its required characters (docs/adr/0006): every value
    // the detector flags must hold one, or the declaration hides detections.
    private void AssertHoldsRequiredCharacter(ReadOnlySpan<char> value)
    {
        if (Detector.RequiredCharacters is { } required)
        {
            Assert.True(value.IndexOfAny(required) >= 0, $"{id} flagged a value without any of its required characters \"{required}\"");
        }
    }

    private static void AssertSpanInside(bool found, DetectorMatch match, int length)
    {
        Assert.InRange(match.Start, 0, length);
        Assert.InRange(match.Length, 0, length - match.Start);
        if (found)
        {
            Assert.InRange(match.Score, 1, 100);
        }
    }

    private static string Repeat(string unit, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = unit[i % unit.Length];
        }

        return new string(chars);
    }

    private static string Excerpt(string value, DetectorMatch match)
    {
        var start = Math.Clamp(match.Start, 0, value.Length);
        var length = Math.Clamp(match.Length, 0, value.Length - start);
        return value.Substring(start, Math.Min(length, 80));
    }
}
