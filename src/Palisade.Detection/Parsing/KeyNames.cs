using System.Buffers;
using System.Text;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Tells plain member names (<c>user_id</c>, <c>items[0].name</c>) from names worth inspecting. A <c>$</c>
/// is not plain: operator keys such as <c>$ne</c> or <c>user[$gt]</c> are what NoSQL injection is made of.
/// </summary>
public static class KeyNames
{
    private static readonly SearchValues<char> PlainChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]:@");

    /// <summary>
    /// True for short names made only of identifier characters that are not a dotted path: no detector can fire on
    /// them. A dotted path (<c>class.module.classLoader.resources</c>, <c>java.io.File</c>) is how data binding and
    /// expression languages walk object graphs, so it is inspected, as is a name that reaches a prototype
    /// (<c>__proto__[isAdmin]</c>), and so is one that starts like a serialized Java object (<c>rO0ABQ</c>); an index
    /// path (<c>items[0].name</c>) stays plain.
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<char> name) =>
        name.Length <= 64 && name.IndexOfAnyExcept(PlainChars) < 0 && !IsDottedPath(name) && !ReachesPrototype(name)
        && !StartsLikeSerializedJava(name);

    // rO0AB, KztAAU, Cs7QAF: a Java serialization stream (AC ED 00 05) in base64 at its three alignments, or in hex.
    // A name that is one is a gadget chain posted where the application deserializes parameter names.
    private static bool StartsLikeSerializedJava(ReadOnlySpan<char> name) =>
        name.StartsWith("rO0AB", StringComparison.Ordinal) || name.StartsWith("KztAAU", StringComparison.Ordinal)
        || name.StartsWith("Cs7QAF", StringComparison.Ordinal) || name.StartsWith("aced0005", StringComparison.OrdinalIgnoreCase);

    // __proto__[isAdmin], constructor[prototype][x]: names that merge into an object's prototype.
    // Both spell "proto": a search for its 'p' settles the names that have neither (nearly all of them). (A
    // case-insensitive Contains of a short name takes the runtime's scalar fallback.)
    private static bool ReachesPrototype(ReadOnlySpan<char> name)
    {
        for (var at = name.IndexOfAny('p', 'P'); at >= 0 && at + 5 <= name.Length; at = NextP(name, at))
        {
            if (Ascii.EqualsIgnoreCase(name.Slice(at, 5), "proto"))
            {
                return name.Contains("__proto__", StringComparison.OrdinalIgnoreCase) || name.Contains("prototype", StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    private static int NextP(ReadOnlySpan<char> name, int at)
    {
        var next = name[(at + 1)..].IndexOfAny('p', 'P');
        return next < 0 ? -1 : at + 1 + next;
    }

    // "a.b": a dot between two letters.
    private static bool IsDottedPath(ReadOnlySpan<char> name)
    {
        var dot = name.IndexOf('.');
        while (dot > 0 && dot < name.Length - 1)
        {
            if (char.IsAsciiLetter(name[dot - 1]) && char.IsAsciiLetter(name[dot + 1]))
            {
                return true;
            }

            var next = name[(dot + 1)..].IndexOf('.');
            dot = next < 0 ? -1 : dot + 1 + next;
        }

        return false;
    }
}
