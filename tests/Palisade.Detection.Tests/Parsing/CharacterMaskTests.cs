using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public class CharacterMaskTests
{
    [Fact]
    public void Each_character_sets_its_own_bit_and_no_other()
    {
        for (var c = '\0'; c < 300; c++)
        {
            var mask = CharacterMask.Of([c]);
            Assert.Equal(c >= 128, mask.NonAscii);
            for (var other = '\0'; other < 128; other++)
            {
                Assert.Equal(other == c, mask.Has(other));
            }
        }
    }

    [Fact]
    public void A_text_holds_exactly_the_characters_it_is_made_of()
    {
        var random = new Random(20261127);
        for (var round = 0; round < 2000; round++)
        {
            var text = new char[random.Next(0, 80)];
            for (var i = 0; i < text.Length; i++)
            {
                // Mostly ASCII, sometimes beyond, as request values are.
                text[i] = (char)(random.Next(10) == 0 ? random.Next(128, 0x3000) : random.Next(0, 128));
            }

            var mask = CharacterMask.Of(text);
            Assert.Equal(text.Any(c => c >= 128), mask.NonAscii);
            for (var c = '\0'; c < 128; c++)
            {
                Assert.Equal(text.Contains(c), mask.Has(c));
            }
        }
    }

    [Fact]
    public void Characters_beyond_ascii_are_never_reported_as_ascii_ones()
    {
        // 'A' + 128 and '\0' + 256 share the low bits of 'A' and NUL.
        var mask = CharacterMask.Of("\u00c1\u0100\uffff");
        Assert.True(mask.NonAscii);
        Assert.Equal((0UL, 0UL), (mask.Low, mask.High));
        Assert.False(mask.Has('\u00c1'));
    }

    [Fact]
    public void The_default_mask_is_unknown_and_every_computed_one_known()
    {
        Assert.False(default(CharacterMask).IsKnown);
        Assert.True(CharacterMask.Of("\0").IsKnown);
        Assert.True(CharacterMask.Of("\u00e9").IsKnown);
        Assert.True(CharacterMask.Of("a").IsKnown);
    }

    [Theory]
    [InlineData("select 1", '1', true)]
    [InlineData("select 1", '2', false)]
    [InlineData("caf\u00e9", '\u00e9', true)]
    [InlineData("cafe", '\u00e9', false)]
    public void Contains_answers_from_the_mask_or_the_text_alike(string text, char c, bool expected)
    {
        Assert.Equal(expected, CharacterMask.Of(text).Contains(text, c));
        Assert.Equal(expected, default(CharacterMask).Contains(text, c));
    }

    // The second set holds a full-width solidus beside '/', a path separator to some file APIs: only a text with
    // characters beyond ASCII is still searched for it.
    [Theory]
    [InlineData("=()", "a=1", true)]
    [InlineData("=()", "plain words", false)]
    [InlineData("=()", "caf\u00e9 (x)", true)]
    [InlineData("/\uff0f", "a\uff0fb", true)]
    [InlineData("/\uff0f", "a/b", true)]
    [InlineData("/\uff0f", "caf\u00e9", false)]
    [InlineData("/\uff0f", "plain", false)]
    public void ContainsAny_answers_from_the_mask_or_the_text_alike(string setText, string text, bool expected)
    {
        var set = System.Buffers.SearchValues.Create(setText);
        var mask = CharacterMask.Of(setText);
        Assert.Equal(expected, CharacterMask.Of(text).ContainsAny(text, mask, set));
        Assert.Equal(expected, default(CharacterMask).ContainsAny(text, mask, set));
    }

    [Theory]
    [InlineData("plain words, 42.", true)]
    [InlineData("a=b", false)]
    [InlineData("caf\u00e9", false)]
    public void IsWithin_holds_only_for_ascii_text_made_of_the_set(string text, bool expected)
    {
        Assert.Equal(expected, CharacterMask.Of(text).IsWithin(CharacterMask.Of("abcdefghijklmnopqrstuvwxyz ,.0123456789")));
    }
}
