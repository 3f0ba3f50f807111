using System.Buffers;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Tells plain member names (<c>user_id</c>, <c>items[0].name</c>) from names worth inspecting. A <c>$</c>
/// is not plain: operator keys such as <c>$ne</c> or <c>user[$gt]</c> are what NoSQL injection is made of.
/// </summary>
public static class KeyNames
{
    private static readonly SearchValues<char> PlainChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]:@");

    /// <summary>True for short names made only of identifier characters: no injection detector can fire on them.</summary>
    public static bool IsPlain(ReadOnlySpan<char> name) =>
        name.Length <= 64 && name.IndexOfAnyExcept(PlainChars) < 0;
}
