using Palisade.Detection.Detectors;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Engine;

public class DetectorSetTests
{
    private static readonly DetectorSet Set = new([
        new Fixed("any", required: null),
        new Fixed("angle", required: "<"),
        new Fixed("quote-or-typographic", required: "'\u2019"),
        new Fixed("headers-only", required: null, sources: [ValueSource.Header], judgesWellFormed: true),
    ]);

    [Theory]
    [InlineData("plain", ValueSource.Query, "any")]
    [InlineData("<b>", ValueSource.Query, "any angle")]
    [InlineData("O'Brien", ValueSource.Json, "any quote-or-typographic")]
    [InlineData("O\u2019Brien", ValueSource.Json, "any quote-or-typographic")]
    [InlineData("Zoë", ValueSource.Json, "any quote-or-typographic")] // any character beyond ASCII may be the one
    [InlineData("<'", ValueSource.Header, "any angle quote-or-typographic headers-only")]
    [InlineData("plain", ValueSource.Header, "any headers-only")]
    public void Asks_only_the_detectors_whose_characters_and_sources_the_value_has(string value, ValueSource source, string expected)
    {
        var candidates = Set.Candidates(CharacterMask.Of(value), source);
        Assert.Equal(expected, string.Join(' ', Names(candidates)));
    }

    [Fact]
    public void Well_formed_header_values_go_only_to_detectors_that_judge_them()
    {
        Assert.Equal("any angle quote-or-typographic", string.Join(' ', Names(Set.WellFormedSkips)));
        Assert.Equal(0b1111UL, Set.All);
    }

    [Fact]
    public void Calls_the_detector_at_the_index_it_is_given()
    {
        Assert.True(Set.TryDetect(1, "<b>", new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal("angle", match.Reason);
        Assert.False(Set.TryDetect(1, "b", new ValueOrigin(ValueSource.Query), out _));
    }

    [Fact]
    public void Takes_detectors_lowest_first()
    {
        var set = 0b1010_0100UL;
        Assert.Equal([2, 5, 7], new[] { DetectorSet.TakeLowest(ref set), DetectorSet.TakeLowest(ref set), DetectorSet.TakeLowest(ref set) });
        Assert.Equal(0UL, set);
    }

    [Fact]
    public void Refuses_more_detectors_than_a_mask_has_bits()
    {
        var detectors = Enumerable.Range(0, 65).Select(i => (IDetector)new Fixed($"d{i}", required: null)).ToArray();
        Assert.Throws<ArgumentException>(() => new DetectorSet(detectors));
        Assert.Equal(ulong.MaxValue, new DetectorSet(detectors[..64]).All);
    }

    private static IEnumerable<string> Names(ulong set)
    {
        while (set != 0)
        {
            yield return Set.Detectors[DetectorSet.TakeLowest(ref set)].Id;
        }
    }

    // Flags any value holding one of its required characters (any value when it has none).
    private sealed class Fixed(string id, string? required, ValueSource[]? sources = null, bool judgesWellFormed = false) : IDetector
    {
        public string Id => id;

        public AttackType AttackType => AttackType.Xss;

        public string? RequiredCharacters => required;

        public bool JudgesWellFormedHeaders => judgesWellFormed;

        public bool Judges(ValueSource source) => sources is null || sources.Contains(source);

        public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
        {
            match = new DetectorMatch(id, 0, value.Length, 50);
            return required is null || value.IndexOfAny(required) >= 0;
        }
    }
}
