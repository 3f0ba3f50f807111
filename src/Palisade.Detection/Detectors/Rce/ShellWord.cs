namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// One shell word as <see cref="ShellWordReader"/> read it: where it sits in the value (<see cref="Start"/> to
/// <see cref="End"/>), how long its text is after quote removal, and what the sender did to hide it.
/// </summary>
/// <param name="Start">Index of the word's first character, after the blanks before it.</param>
/// <param name="End">Index just past the word.</param>
/// <param name="Length">Length of the word's text after quote removal (written to the caller's buffer), or -1 when it did not fit.</param>
/// <param name="Split">Quotes, escapes or empty expansions inside the word: <c>w'h'o'am'i</c>, <c>c\at</c>, <c>wh$@oami</c>.</param>
/// <param name="Glob">The word holds unquoted <c>?</c>, <c>*</c> or <c>[</c>.</param>
internal readonly record struct ShellWord(int Start, int End, int Length, bool Split, bool Glob)
{
    public bool IsEmpty => End == Start;

    public bool Fits => Length > 0;
}
